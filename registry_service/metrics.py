"""Prometheus metrics of the service (prometheus-client, default registry).

The two per-request metrics (requests by method, route and status; latency by route) are
kept by `HttpMetrics`, a collector of plain counters that builds its metric families when
`/metrics` is scraped. Every request pays for them, and prometheus-client's `labels()`
lookups and locked increments cost several times the rest of the accounting; the service
counts from its one event-loop thread, where plain integers are enough.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence

from prometheus_client import REGISTRY, Counter, Gauge
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.utils import floatToGoString

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)


class HttpMetrics:
    """`omniflattr_http_requests_total{method,route,status}` and
    `omniflattr_http_request_seconds{route}` (a histogram), counted with `observe`."""

    requests_name = "omniflattr_http_requests"
    latency_name = "omniflattr_http_request_seconds"

    def __init__(self, buckets: Sequence[float] = LATENCY_BUCKETS) -> None:
        self.bounds = tuple(float(b) for b in sorted(buckets))
        self._le = [floatToGoString(b) for b in self.bounds] + ["+Inf"]
        # (method, route, status) -> observations per latency bucket (the last one is +Inf),
        # then their sum: one lookup per request; both metrics are added up when scraped.
        self._rows: dict[tuple[str, str, int], list] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """One request answered: count it and its latency."""
        row = self._rows.get((method, route, status))
        if row is None:
            row = self._rows[(method, route, status)] = [0] * (len(self.bounds) + 1) + [0.0]
        row[bisect_left(self.bounds, seconds)] += 1  # upper bounds are inclusive (`le`)
        row[-1] += seconds

    def requests(self, method: str, route: str, status: int) -> int:
        """How many such requests were answered."""
        row = self._rows.get((method, route, status))
        return sum(row[:-1]) if row else 0

    def describe(self) -> list[Metric]:
        return [
            CounterMetricFamily(
                self.requests_name, "HTTP requests answered", labels=("method", "route", "status")
            ),
            HistogramMetricFamily(
                self.latency_name, "Time to answer an HTTP request", labels=("route",)
            ),
        ]

    def collect(self) -> Iterator[Metric]:
        requests, latency = self.describe()
        by_route: dict[str, list] = {}
        for (method, route, status), row in list(self._rows.items()):
            requests.add_metric((method, route, str(status)), sum(row[:-1]))
            total = by_route.setdefault(route, [0] * len(row[:-1]) + [0.0])
            for i, value in enumerate(row):
                total[i] += value
        yield requests
        for route, row in by_route.items():
            cumulative, buckets = 0, []
            for le, count in zip(self._le, row[:-1], strict=True):
                cumulative += count
                buckets.append((le, cumulative))
            latency.add_metric((route,), buckets, row[-1])
        yield latency


HTTP = HttpMetrics()
REGISTRY.register(HTTP)

DATABASE_UP = Gauge(
    "omniflattr_database_up", "1 when the database answered the last readiness check"
)
DATABASE_ERRORS = Counter(
    "omniflattr_database_unavailable_total", "Requests answered 503 because the database was away"
)
