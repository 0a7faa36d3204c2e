"""What people type where a page or a key is expected; claim findings in their language."""

from __future__ import annotations

import pytest

from registry_service.web.claim_views import event_view, finding_view, instruction_views
from registry_service.web.i18n import Translator
from registry_service.web.targets import classify


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("https://example.org/a", "url", "https://example.org/a"),
        ("HTTP://Example.org", "url", "HTTP://Example.org"),
        ("example.org/post", "url", "https://example.org/post"),
        ("github.com/alice", "url", "https://github.com/alice"),
        ("example.org:8080/x", "url", "https://example.org:8080/x"),
        ("localhost:8080", "url", "https://localhost:8080"),
        ("ftp://example.org", "url", "ftp://example.org"),
        ("javascript:alert(1)", "url", "javascript:alert(1)"),
        ("github:Alice", "key", "github:alice"),
        ("GitHub:alice", "key", "github:alice"),
        ("domain:Example.ORG", "key", "domain:example.org"),
        ("mastodon:Alice@Example.Social", "key", "mastodon:alice@example.social"),
        ("@Alice", "key", "omniflattr:alice"),
        ("omniflattr:bob", "key", "omniflattr:bob"),
        ("", "invalid", ""),
        ("github:has space", "invalid", "github:has space"),
    ],
)
def test_classify(text, kind, value):
    target = classify(text)
    assert (target.kind, target.value) == (kind, value)


def test_findings_say_outcome_in_the_language_and_keep_the_detail():
    finding = {
        "method": "dns",
        "target": "_omniflattr-challenge.example.org",
        "outcome": "missing",
        "ok": False,
        "message": "There is no TXT record at _omniflattr-challenge.example.org.",
    }
    view = finding_view(Translator("fr"), finding)
    assert view.method_label == "Enregistrement DNS TXT" and view.outcome_label == "Introuvable"
    assert view.hint == "Il n'y a encore rien à _omniflattr-challenge.example.org."
    assert view.detail == finding["message"] and view.detail_lang == "en"
    odd = finding_view(Translator("en"), {"method": "carrier", "outcome": "??"})
    assert odd.method_label == "Other check" and odd.outcome == "error" and not odd.ok


def test_events_and_instructions():
    event = event_view(
        Translator("en"),
        {"type": "escrow_released", "at": None, "message": "180 cents", "evidence": {"cents": 180}},
    )
    assert event["label"] == "Waiting money released" and event["cents"] == 180
    unknown = event_view(Translator("en"), {"type": "future_event", "evidence": {"cents": "x"}})
    assert unknown["label"] == "future_event" and unknown["cents"] is None
    steps = instruction_views(
        Translator("fr"), "github", [{"method": "profile", "text": "Put this token in …"}]
    )
    assert steps[0]["title"] == "Votre profil" and "GitHub" in steps[0]["help"]
