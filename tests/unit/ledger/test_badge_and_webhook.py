from datetime import UTC, datetime
from xml.etree import ElementTree

from registry_service.ledger.badge import render
from registry_service.ledger.providers.webhook import sign, verify

NOW = datetime(2026, 11, 15, 12, tzinfo=UTC)


def test_badge_is_valid_svg_with_escaped_text():
    svg = render(42, 'Flattr https://x.example/?q=<script>"&')
    root = ElementTree.fromstring(svg)  # parses: nothing leaked out of the text
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["Flattr", "42"]


def test_good_signature_passes():
    body = b'{"type":"funding.succeeded"}'
    header = sign("s3cret", int(NOW.timestamp()), body)
    assert verify("s3cret", header, body, NOW) is None


def test_bad_signatures_are_refused():
    body = b'{"type":"funding.succeeded"}'
    ts = int(NOW.timestamp())
    assert "does not match" in verify("other", sign("s3cret", ts, body), body, NOW)
    assert "does not match" in verify("s3cret", sign("s3cret", ts, body), body + b" ", NOW)
    stale = sign("s3cret", ts - 301, body)
    assert "away from now" in verify("s3cret", stale, body, NOW)
    assert "timestamp" in verify("s3cret", "v1=abc", body, NOW)
