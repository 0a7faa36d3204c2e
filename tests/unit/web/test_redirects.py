"""`next=` never leads off the site."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry_service.web.redirects import safe_next

BASE = "https://omniflattr.example/current/page"


@pytest.mark.parametrize(
    "raw",
    [
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\t/evil.example",
        "/\n/evil.example",
        "evil.example",
        "",
        None,
        "/" + "a" * 3000,
        "/caf\u00e9",
    ],
)
def test_refused(raw):
    assert safe_next(raw) == "/account"


@pytest.mark.parametrize("raw", ["/", "/account/extensions", "/connect?state=abc&label=Fire%20fox"])
def test_kept(raw):
    assert safe_next(raw) == raw


@given(st.text(max_size=60))
def test_whatever_comes_in_stays_on_this_host(raw):
    target = safe_next(raw)
    # Browsers drop tabs and newlines and read backslashes as slashes: do the same.
    cleaned = target.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "")
    assert urlsplit(urljoin(BASE, cleaned)).netloc == "omniflattr.example"
