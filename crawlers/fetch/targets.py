"""Which URLs the crawler may fetch, and where the connection goes.

`plan_request(url, host_map)` is pure: it refuses what must never be fetched (other
schemes, credentials, IP literals in any spelling, non-DNS host names, special-use names,
ports other than 80/443) and says what to connect to. Hosts in the (test/dev only) host
map go over plain HTTP to their mapped loopback port, whatever the URL says.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import idna
from yarl import URL

from crawlers.fetch.addresses import parse_ip
from crawlers.fetch.errors import FetchError

ALLOWED_PORTS = (80, 443)
MAX_URL_LENGTH = 4096

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_HEX_NUMBER = re.compile(r"^0x[0-9a-f]*$")
# Names that never leave a private network (RFC 6761, 6762, 8375, 9476, ICANN .internal).
SPECIAL_USE_SUFFIXES = (
    "localhost",
    "local",
    "internal",
    "intranet",
    "lan",
    "home",
    "corp",
    "private",
    "localdomain",
    "home.arpa",
    "in-addr.arpa",
    "ip6.arpa",
    "onion",
    "alt",
    "test",
    "invalid",
    "example",
)


@dataclass(frozen=True)
class RequestPlan:
    url: URL  # the URL as asked (normalised host)
    connect_url: URL  # what aiohttp is given
    host: str
    mapped: bool


@lru_cache(maxsize=65536)
def canonical_host(raw: str) -> str:
    """The ASCII (punycode) lowercase host name without a trailing dot; refuses IP literals."""
    host = raw.strip()
    if not host:
        raise FetchError("invalid_url", "the URL has no host")
    if host.startswith("[") or ":" in host or parse_ip(host) is not None:
        raise FetchError(
            "ip_literal_refused", f"{host} is an IP address: only host names are fetched"
        )
    try:
        ascii_host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        if host.isascii():
            ascii_host = host.lower()
        else:
            raise FetchError("host_refused", f"{host!r} is not a valid host name") from None
    ascii_host = ascii_host.lower().rstrip(".")
    if ends_in_number(ascii_host) or parse_ip(ascii_host) is not None:
        raise FetchError(
            "ip_literal_refused",
            f"{raw} is an IP address in disguise{_decoded(ascii_host)}: "
            "only host names are fetched",
        )
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise FetchError("host_refused", f"{raw!r} is not a valid DNS host name")
    return ascii_host


def _decoded(host: str) -> str:
    """What a browser or inet_aton would read `127.1` / `0x7f.1` / `2130706433` as."""
    try:
        return f" ({socket.inet_ntoa(socket.inet_aton(host))})"
    except OSError:
        return ""


def ends_in_number(host: str) -> bool:
    """WHATWG URL's rule: a host whose last label is a number is parsed as IPv4.

    So `127.1`, `0x7f.1`, `2130706433` and `017700000001` all mean 127.0.0.1 to a browser
    (and to inet_aton); none of them is a host name.
    """
    labels = host.rstrip(".").split(".")
    last = labels[-1]
    return last.isdigit() or bool(_HEX_NUMBER.match(last)) or last == ""


def refuse_special_use(host: str) -> None:
    labels = host.split(".")
    if len(labels) < 2:
        raise FetchError("host_refused", f"{host} is a single-label name, not a public host")
    for suffix in SPECIAL_USE_SUFFIXES:
        if host == suffix or host.endswith("." + suffix):
            raise FetchError("host_refused", f"{host} is a special-use name (.{suffix})")


def plan_request(url: str | URL, host_map: Mapping[str, tuple[str, int]]) -> RequestPlan:
    """Check `url` and say where to connect, or raise `FetchError` saying why not."""
    text = str(url)
    if len(text) > MAX_URL_LENGTH:
        raise FetchError("invalid_url", f"the URL is longer than {MAX_URL_LENGTH} characters")
    try:
        parsed = url if isinstance(url, URL) else URL(text)
    except (ValueError, TypeError) as exc:
        raise FetchError("invalid_url", f"{text[:200]!r} is not a valid URL: {exc}") from None
    if parsed.scheme in ("http", "https") and not parsed.raw_host:
        raise FetchError("invalid_url", f"{text[:200]} has no host")
    if not parsed.is_absolute() or parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "a relative URL"
        raise FetchError(
            "unsupported_scheme", f"{text[:200]} is {scheme}: only http and https are fetched"
        )
    if parsed.raw_user is not None or parsed.raw_password is not None:
        raise FetchError("invalid_url", f"{parsed.host}: URLs with credentials are not fetched")
    host = canonical_host(parsed.raw_host or "")  # refuses IP literals in any spelling
    try:
        port = parsed.port
    except ValueError:
        raise FetchError("invalid_url", f"{text[:200]} has an invalid port") from None
    clean = parsed
    if parsed.raw_host != host:
        clean = clean.with_host(host)
    if parsed.raw_fragment:
        clean = clean.with_fragment(None)
    mapped = host_map.get(host)
    if mapped is not None:
        connect = clean.with_scheme("http").with_port(mapped[1])
        return RequestPlan(clean, connect, host, True)
    refuse_special_use(host)
    if port not in ALLOWED_PORTS:
        raise FetchError("port_refused", f"{host}:{port}: only ports 80 and 443 are fetched")
    return RequestPlan(clean, clean, host, False)
