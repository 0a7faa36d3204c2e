"""Which URLs may be fetched at all, before any DNS lookup."""

from __future__ import annotations

import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawlers.fetch import FetchError, plan_request

MAP = {"mapped.example.org": ("127.0.0.1", 8001)}


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://2130706433/", "ip_literal_refused"),
        ("http://0x7f.1/", "ip_literal_refused"),
        ("http://0x7F000001/", "ip_literal_refused"),
        ("http://017700000001/", "ip_literal_refused"),
        ("http://127.1/", "ip_literal_refused"),
        ("http://127.0.1/", "ip_literal_refused"),
        ("http://[::ffff:127.0.0.1]/", "ip_literal_refused"),
        ("http://[::1]/", "ip_literal_refused"),
        ("http://[fe80::1%25eth0]/", "ip_literal_refused"),
        ("http://8.8.8.8/", "ip_literal_refused"),  # even public: only names
        ("http://example.0x10/", "ip_literal_refused"),
        ("http://localhost/", "host_refused"),
        ("http://intranet/", "host_refused"),
        ("http://printer.local/", "host_refused"),
        ("http://router.home.arpa/", "host_refused"),
        ("http://x.onion/", "host_refused"),
        ("http://a_b%2e.example.org/", "host_refused"),
        ("http://-bad-.example.org/", "host_refused"),
        ("http://example.org:8080/", "port_refused"),
        ("https://example.org:22/", "port_refused"),
        ("ftp://example.org/", "unsupported_scheme"),
        ("javascript:alert(1)", "unsupported_scheme"),
        ("data:text/html,hi", "unsupported_scheme"),
        ("/relative/path", "unsupported_scheme"),
        ("http://user@example.org/", "invalid_url"),
        ("http:///nohost", "invalid_url"),
    ],
)
def test_refused_before_any_lookup(url, code):
    with pytest.raises(FetchError) as caught:
        plan_request(url, MAP)
    assert caught.value.code == code
    assert caught.value.message


def test_allowed_urls_keep_their_path_and_lose_the_fragment():
    plan = plan_request("https://Example.ORG./a/b?q=1#frag", MAP)
    assert str(plan.url) == "https://example.org/a/b?q=1"
    assert plan.connect_url == plan.url and not plan.mapped


def test_idn_hosts_become_punycode():
    assert plan_request("http://müller.de/", MAP).host == "xn--mller-kva.de"


def test_mapped_hosts_go_over_plain_http_to_their_port_whatever_the_url_says():
    plan = plan_request("https://mapped.example.org:8443/x?y=1", MAP)
    assert plan.mapped
    assert str(plan.connect_url) == "http://mapped.example.org:8001/x?y=1"


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_every_number_host_is_an_ip_in_disguise(n):
    for host in (str(n), hex(n), "0" + oct(n)[2:]):
        with pytest.raises(FetchError) as caught:
            plan_request(f"http://{host}/", MAP)
        assert caught.value.code == "ip_literal_refused"


@given(st.ip_addresses(v=4), st.sampled_from(["dotted", "octal", "hex", "short"]))
def test_any_ipv4_spelling_inet_aton_accepts_is_refused(address, spelling):
    parts = str(address).split(".")
    if spelling == "octal":
        host = ".".join("0" + oct(int(p))[2:] for p in parts)
    elif spelling == "hex":
        host = ".".join(hex(int(p)) for p in parts)
    elif spelling == "short":
        host = f"{parts[0]}.{int(parts[1]) << 16 | int(parts[2]) << 8 | int(parts[3])}"
    else:
        host = str(address)
    assert socket.inet_aton(host) == address.packed
    with pytest.raises(FetchError) as caught:
        plan_request(f"http://{host}/", MAP)
    assert caught.value.code == "ip_literal_refused"
