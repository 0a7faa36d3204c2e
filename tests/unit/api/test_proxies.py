"""The client's address behind trusted proxies: the nearest untrusted X-Forwarded-For hop."""

from __future__ import annotations

import pytest

from registry_service.api.proxies import client_address, parse_networks

LB = parse_networks("10.0.0.0/8, 127.0.0.1")


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("10.0.0.5", ["203.0.113.7"], "203.0.113.7"),
        ("10.0.0.5", ["198.51.100.1, 203.0.113.7"], "203.0.113.7"),  # the nearest hop wins
        ("10.0.0.5", ["203.0.113.7, 10.1.1.1"], "203.0.113.7"),  # through two trusted proxies
        ("10.0.0.5", ["198.51.100.1", "203.0.113.7"], "203.0.113.7"),  # two headers
        ("10.0.0.5", [], "10.0.0.5"),
        ("10.0.0.5", ["not-an-ip"], "10.0.0.5"),  # a malformed chain is not believed
        ("10.0.0.5", ["10.2.2.2"], "10.2.2.2"),  # only proxies: the farthest one
        ("203.0.113.9", ["198.51.100.1"], "203.0.113.9"),  # an untrusted peer's header is ignored
        (None, ["198.51.100.1"], None),
    ],
)
def test_client_address(peer, forwarded, client):
    assert client_address(peer, forwarded, LB) == client


def test_no_trusted_proxies_means_the_peer():
    assert client_address("10.0.0.5", ["203.0.113.7"], ()) == "10.0.0.5"


def test_a_bad_entry_is_named():
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        parse_networks("10.0.0.0/8,10.0.0.300")
