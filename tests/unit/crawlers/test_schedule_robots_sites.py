from datetime import UTC, datetime, timedelta
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from crawlers.robots import rules_from_fetch
from crawlers.schedule import RETRY_MAX, parse_retry_after, recrawl_delay, retry_delay
from crawlers.sites import origin_of, registrable_domain, site_of

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_retry_after_seconds_dates_and_garbage():
    assert parse_retry_after("120", NOW) == timedelta(seconds=120)
    assert parse_retry_after("Sun, 01 Nov 2026 12:05:00 GMT", NOW) == timedelta(minutes=5)
    assert parse_retry_after("Sun, 01 Nov 2026 11:00:00 GMT", NOW) == timedelta(0)
    assert parse_retry_after("99999999", NOW) == timedelta(days=1)
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


@given(st.integers(min_value=1, max_value=50))
def test_backoff_grows_and_is_capped(attempts):
    rng = Random(attempts)
    current = retry_delay(attempts, jitter=0, rng=rng)
    assert current <= RETRY_MAX
    assert retry_delay(attempts + 1, jitter=0, rng=rng) >= current


def test_recrawl_intervals():
    assert recrawl_delay(status=200, changed=True) < recrawl_delay(status=200, changed=False)
    assert recrawl_delay(status=200, changed=False) == timedelta(days=7)
    assert recrawl_delay(status=410, changed=True) > timedelta(days=7)


def test_a_byte_order_mark_does_not_hide_the_first_group():
    rules = rules_from_fetch("https://a.org", 200, b"\xef\xbb\xbfUser-agent: *\nDisallow: /\n")
    assert not rules.allows("https://a.org/page")


def test_robots_answers_under_rfc_9309():
    rules = rules_from_fetch("https://a.org", 200, b"User-agent: *\nDisallow: /private\n")
    assert rules.allows("https://a.org/public") and not rules.allows("https://a.org/private/x")
    assert rules_from_fetch("https://a.org", 404, b"").allows("https://a.org/anything")
    assert rules_from_fetch("https://a.org", 403, b"").allows("https://a.org/anything")
    assert not rules_from_fetch("https://a.org", 500, b"").allows("https://a.org/")
    assert not rules_from_fetch("https://a.org", 429, b"").allows("https://a.org/")
    assert not rules_from_fetch("https://a.org", None, b"", "timeout").allows("https://a.org/")


def test_robots_rules_for_our_agent_and_crawl_delay():
    body = b"User-agent: OmniflattrBot\nDisallow: /\nCrawl-delay: 5\n\nUser-agent: *\nAllow: /\n"
    rules = rules_from_fetch("https://a.org", 200, body)
    assert not rules.allows("https://a.org/x")
    assert rules.crawl_delay() == 5.0


def test_sites_and_origins():
    assert registrable_domain("www.bbc.co.uk") == "bbc.co.uk"
    assert registrable_domain("someapp.herokuapp.com") == "someapp.herokuapp.com"
    assert site_of("https://blog.example.org/x") == "example.org"
    assert origin_of("https://Example.org:443/x") == "https://example.org"
    assert origin_of("http://example.org:8080/x") == "http://example.org:8080"
