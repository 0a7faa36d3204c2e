"""Prometheus metrics of the service (prometheus-client, default registry)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter(
    "omniflattr_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "omniflattr_http_request_seconds",
    "Time to answer an HTTP request",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
)
DATABASE_UP = Gauge(
    "omniflattr_database_up", "1 when the database answered the last readiness check"
)
DATABASE_ERRORS = Counter(
    "omniflattr_database_unavailable_total", "Requests answered 503 because the database was away"
)
