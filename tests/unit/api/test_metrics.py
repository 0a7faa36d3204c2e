"""The hand-kept HTTP metrics expose what prometheus-client's own metrics would."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from registry_service.metrics import HttpMetrics


def scrape(metrics: HttpMetrics) -> dict[str, dict[tuple, float]]:
    registry = CollectorRegistry()
    registry.register(metrics)
    text = generate_latest(registry).decode()
    samples: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            key = tuple(sorted(sample.labels.items()))
            samples.setdefault(sample.name, {})[key] = sample.value
    return samples


def test_requests_counted_by_method_route_and_status():
    metrics = HttpMetrics()
    metrics.observe("GET", "/a", 200, 0.001)
    metrics.observe("GET", "/a", 200, 0.002)
    metrics.observe("GET", "/a", 404, 0.002)
    metrics.observe("POST", "/b", 201, 0.5)
    total = scrape(metrics)["omniflattr_http_requests_total"]
    assert total == {
        (("method", "GET"), ("route", "/a"), ("status", "200")): 2,
        (("method", "GET"), ("route", "/a"), ("status", "404")): 1,
        (("method", "POST"), ("route", "/b"), ("status", "201")): 1,
    }


def test_latency_buckets_are_cumulative_and_upper_bounds_inclusive():
    metrics = HttpMetrics(buckets=(0.01, 0.1, 1))
    for seconds, status in ((0.005, 200), (0.01, 404), (0.05, 200), (0.1, 500), (0.7, 200)):
        metrics.observe("GET", "/a", status, seconds)
    metrics.observe("POST", "/a", 201, 3.0)
    metrics.observe("GET", "/b", 200, 0.2)
    samples = scrape(metrics)
    buckets = {
        dict(labels)["le"]: value
        for labels, value in samples["omniflattr_http_request_seconds_bucket"].items()
        if dict(labels)["route"] == "/a"
    }
    assert buckets == {"0.01": 2, "0.1": 4, "1.0": 5, "+Inf": 6}
    assert samples["omniflattr_http_request_seconds_count"][(("route", "/a"),)] == 6
    assert samples["omniflattr_http_request_seconds_count"][(("route", "/b"),)] == 1
    total = samples["omniflattr_http_request_seconds_sum"][(("route", "/a"),)]
    assert abs(total - 3.865) < 1e-9


def test_nothing_observed_exposes_empty_families():
    samples = scrape(HttpMetrics())
    assert "omniflattr_http_requests_total" not in samples
