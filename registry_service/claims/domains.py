"""Domain names under the Public Suffix List: what a `domain:` key may name.

Pure functions. The PSL snapshot ships with tldextract (no network at run time) and its
private section counts, so `github.io` is a public suffix and `alice.github.io` a tenant.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache

import idna
import tldextract

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


class DomainError(ValueError):
    """The text is not a domain that could be claimed; the message says why and what to do."""

    def __init__(self, message: str, *, public_suffix: str | None = None) -> None:
        super().__init__(message)
        self.public_suffix = public_suffix  # set when the name is itself a public suffix


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)


@dataclass(frozen=True)
class DomainName:
    host: str  # normalised: lowercase, punycode, no trailing dot, no leading www.
    registrable: str  # eTLD+1 with the private section ("alice.github.io", "example.org")
    suffix: str
    private_suffix: bool  # the suffix comes from the PSL's private section

    @property
    def is_registrable(self) -> bool:
        return self.host == self.registrable

    def parents(self) -> list[str]:
        """This host and every parent down to the registrable domain, most specific first."""
        labels = self.host.split(".")
        depth = len(self.registrable.split("."))
        return [".".join(labels[i:]) for i in range(len(labels) - depth + 1)]


def normalize_host(raw: str) -> str:
    """Lowercase punycode without a trailing dot; raises DomainError with the reason."""
    text = raw.strip().rstrip(".")
    if not text:
        raise DomainError("the domain is empty")
    if any(c in text for c in "/:?#@ \t") or text.startswith("["):
        raise DomainError(
            f"{raw.strip()!r} is not a bare domain name: leave out the scheme, port and path"
        )
    try:
        ipaddress.ip_address(text)
    except ValueError:
        pass
    else:
        raise DomainError(f"{text} is an IP address; only domain names can be claimed")
    try:
        # ASCII names as they are (some hosts have '_'), others to punycode (UTS 46).
        host = text.lower() if text.isascii() else idna.encode(text, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise DomainError(f"{raw.strip()!r} is not a valid domain name ({exc})") from None
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise DomainError(f"{raw.strip()!r} is not a valid domain name")
    return host


def parse_domain(raw: str) -> DomainName:
    """A host name that belongs to someone: not a public suffix, not a single label."""
    host = normalize_host(raw)
    if host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]  # www. is never part of a key
    parts = _extractor()(host)
    if parts.suffix and not parts.domain:
        raise DomainError(f"{host} is a public suffix", public_suffix=host)
    if "." not in host:
        raise DomainError(f"{host} is a single-label name, not a public domain")
    if not parts.suffix:
        raise DomainError(f"{host} does not end in a public suffix (an unknown top-level domain)")
    registrable = f"{parts.domain}.{parts.suffix}"
    return DomainName(host, registrable, parts.suffix, bool(parts.is_private))
