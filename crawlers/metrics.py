"""Prometheus metrics of the crawlers (prometheus-client, default registry)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

FETCHES = Counter(
    "omniflattr_crawler_fetches_total",
    "Outside fetches by the guarded client, by outcome (HTTP status class or error code)",
    ["outcome"],
)
FETCH_SECONDS = Histogram(
    "omniflattr_crawler_fetch_seconds",
    "Time for one guarded fetch, redirects included",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
FETCH_BYTES = Counter(
    "omniflattr_crawler_fetched_bytes_total", "Decoded body bytes read by the guarded client"
)
JOBS = Counter(
    "omniflattr_crawler_jobs_total",
    "Crawl jobs finished, by outcome (done, unchanged, retry, dead, deferred, disallowed)",
    ["outcome"],
)
JOB_SECONDS = Histogram(
    "omniflattr_crawler_job_seconds",
    "Time to crawl one page through the whole pipeline",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
WORKERS_BUSY = Gauge("omniflattr_crawler_workers_busy", "Crawl workers working on a job now")
