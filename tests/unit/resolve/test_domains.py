"""The public suffix list comes from the package's snapshot: no network, no disk cache."""

import socket

import pytest
import requests

from registry_service.resolve import domains


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("the resolver tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(requests.Session, "request", refuse)
    domains._extractor.cache_clear()
    domains.host_info.cache_clear()
    yield attempts
    domains._extractor.cache_clear()
    domains.host_info.cache_clear()


def test_the_snapshot_is_used_without_any_fetch(no_network, tmp_path, monkeypatch):
    monkeypatch.setenv("TLDEXTRACT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert domains.registrable_domain("www.bbc.co.uk") == "bbc.co.uk"
    assert domains.registrable_domain("someapp.herokuapp.com") == "someapp.herokuapp.com"
    assert domains.host_info("github.io").is_private_suffix
    assert no_network == []
    assert not any(tmp_path.rglob("*")), "nothing may be written to a cache directory"
    extractor = domains._extractor()
    assert tuple(extractor.suffix_list_urls) == ()
    assert extractor._cache.enabled is False


def test_private_and_icann_views():
    info = domains.host_info("alice.github.io")
    assert (info.registrable, info.icann_registrable, info.icann_suffix) == (
        "alice.github.io",
        "github.io",
        "io",
    )
