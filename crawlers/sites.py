"""Sites (registrable domains) and origins of URLs, for politeness and robots.txt."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

# The Public Suffix List snapshot shipped with tldextract, private section included; no
# network at run time.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """eTLD+1 of a host (`blog.example.co.uk` -> `example.co.uk`); the host itself if none."""
    host = host.lower().rstrip(".")
    return _EXTRACT(host).top_domain_under_public_suffix or host


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def site_of(url: str) -> str:
    """The politeness unit of a URL: its registrable domain."""
    return registrable_domain(host_of(url))


def origin_of(url: str) -> str:
    """scheme://host[:port] — the scope of a robots.txt (RFC 9309)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = parts.port
    suffix = f":{port}" if port and port != default else ""
    return f"{parts.scheme}://{host}{suffix}"


def same_site(a: str, b: str) -> bool:
    return site_of(a) == site_of(b)
