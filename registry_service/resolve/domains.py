"""Public host names and registrable domains, from the Public Suffix List shipped with tldextract.

The snapshot inside the tldextract package is the only source: `suffix_list_urls=()` and
no cache directory mean it never fetches anything and never writes to disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_LABEL = re.compile(r"^[a-z0-9_-]{1,63}$")


def _invalid(message: str) -> Exception:
    from registry_service.resolve.urls import InvalidUrl

    return InvalidUrl(message)


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


@dataclass(frozen=True)
class HostInfo:
    host: str
    registrable: str  # eTLD+1 with the private section (someapp.herokuapp.com)
    icann_suffix: str  # the ICANN part only (co.uk, com)
    icann_registrable: str  # eTLD+1 without the private section (github.io)
    is_private_suffix: bool  # the host itself is a private suffix (github.io)


def _valid_punycode(label: str) -> bool:
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return False
    return not decoded.isascii() and not any(
        ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in decoded
    )


@lru_cache(maxsize=65536)
def host_info(host: str) -> HostInfo:
    """What the Public Suffix List says about a lowercase ASCII host; `InvalidUrl` if not public."""
    if host == "localhost" or host.endswith(".localhost"):
        raise _invalid("localhost is not a public web site")
    if len(host) > 253:
        raise _invalid("the host name is longer than 253 characters")
    labels = host.split(".")
    for label in labels:
        if not label:
            raise _invalid(f"“{host}” is not a valid host name (it has an empty label)")
        if not _LABEL.match(label):
            raise _invalid(f"“{host}” is not a valid host name")
        if label.startswith("xn--") and not _valid_punycode(label):
            raise _invalid(f"“{host}” is not a valid host name ({label} is not valid punycode)")
    if len(labels) == 1:
        raise _invalid(f"“{host}” is not a public host name (it has no suffix such as .com)")
    extract = _extractor()
    found = extract(host)
    if not found.suffix:
        raise _invalid(
            f"{labels[-1]} is not a known public suffix, so {host} is not a public web site"
        )
    icann = extract(host, include_psl_private_domains=False)
    if not found.domain or (found.is_private and found.domain == "www" and not found.subdomain):
        # The host is a public suffix, or the `www.` of one (www.uk.com): not a tenant's site.
        if not found.is_private:
            raise _invalid(f"{host} is a public suffix (like com or co.uk), not a web site")
        # A private suffix's own site (github.io, blogspot.com) belongs to its operator.
        operator = icann.top_domain_under_public_suffix
        return HostInfo(host, operator, icann.suffix, operator, True)
    return HostInfo(
        host,
        found.top_domain_under_public_suffix,
        icann.suffix,
        icann.top_domain_under_public_suffix,
        False,
    )


def check_public_host(host: str) -> None:
    host_info(host)


def registrable_domain(host: str) -> str:
    return host_info(host).registrable
