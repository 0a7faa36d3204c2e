"""URL normalisation: what identifies a thing (creator-keys.md §1).

Parsing follows the WHATWG URL standard (the browser's own `new URL()`, through the
ada-url library), so the service and the extension agree on what a URL means. Unicode
host names become punycode with `idna` (UTS #46, as browsers do), and the host must be
a public name under a known public suffix (see `domains.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote

import ada_url
import idna

from registry_service.api.errors import BadRequest
from registry_service.resolve.domains import check_public_host

MAX_URL_LENGTH = 8192

# Parameters that only say where a click came from; they never change the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "mc_cid",
        "mc_eid",
        "ref_src",
        "igshid",
        "igsh",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "srsltid",
    }
)
TRACKING_PREFIXES = ("utm_",)
# `si` is YouTube's share-tracking parameter; elsewhere it may mean something.
YOUTUBE_SHARE_HOSTS = frozenset({"youtu.be", "youtube.com", "m.youtube.com", "music.youtube.com"})

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_STRIPPED = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_IPV4_LAST_LABEL = re.compile(r"^(?:0[xX][0-9A-Fa-f]*|[0-9]+)$")


class InvalidUrl(BadRequest):
    """Not a public http(s) URL; the message says what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__("invalid_url", message)


@dataclass(frozen=True)
class ParsedUrl:
    """The parts of a normalised URL."""

    scheme: str
    host: str
    port: str
    path: str
    query: str  # without "?"

    @cached_property
    def normalized(self) -> str:
        return unparse(self)

    @property
    def site_host(self) -> str:
        """The host without a leading `www.` (never part of a key)."""
        return strip_www(self.host)

    def segments(self) -> list[str]:
        return [s for s in self.path.split("/") if s]


def strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") and host.count(".") >= 2 else host


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scheme_of(text: str) -> str | None:
    match = _SCHEME.match(text)
    if not match:
        return None
    scheme = match.group(1)
    rest = text[match.end() :]
    # "example.com:8080/x" and "localhost:3000" are a host and a port, not a scheme.
    if "." in scheme or re.match(r"^\d+(?:[/?#]|$)", rest):
        return None
    return scheme.lower()


def _ascii_host(host: str) -> str:
    """A Unicode or percent-encoded host in punycode (UTS #46 mapping, like a browser)."""
    try:
        decoded = unquote(host, errors="strict")
    except UnicodeDecodeError:
        raise InvalidUrl(f"“{_short(host)}” is not a valid host name") from None
    try:
        mapped = idna.uts46_remap(decoded, std3_rules=False, transitional=False)
        labels = [
            label if label.isascii() else idna.alabel(label).decode("ascii")
            for label in mapped.split(".")
        ]
    except (idna.IDNAError, UnicodeError, ValueError) as exc:
        raise InvalidUrl(
            f"“{_short(decoded)}” is not a valid international domain name ({exc})"
        ) from None
    return ".".join(labels)


def _with_ascii_host(text: str, scheme_end: int) -> str:
    """The URL with its host converted by `idna` when it is not plain ASCII."""
    start = scheme_end
    while start < len(text) and text[start] in "/\\":
        start += 1
    end = start
    while end < len(text) and text[end] not in "/\\?#":
        end += 1
    authority = text[start:end]
    host_start = start + authority.rfind("@") + 1
    host_port = text[host_start:end]
    if host_port.startswith("["):
        return text
    host_end = host_start + (host_port.rfind(":") if ":" in host_port else len(host_port))
    host = text[host_start:host_end]
    if host.isascii() and "%" not in host:
        return text
    return text[:host_start] + _ascii_host(host) + text[host_end:]


def _diagnose(text: str, scheme_end: int) -> InvalidUrl:
    """Why ada-url refused a URL, in words a person can act on."""
    rest = text[scheme_end:].lstrip("/\\")
    authority = re.split(r"[/\\?#]", rest, maxsplit=1)[0]
    host_port = authority.rpartition("@")[2]
    if host_port.startswith("["):
        return InvalidUrl("IP addresses cannot be flattred; use the site's domain name")
    host, _, port = host_port.partition(":")
    if not host:
        return InvalidUrl("the URL has no host name")
    if port and not (port.isdigit() and int(port) <= 65535):
        return InvalidUrl(f"“{_short(port)}” is not a valid port (a number from 0 to 65535)")
    if _IPV4_LAST_LABEL.match(host.rstrip(".").rpartition(".")[2]):
        return InvalidUrl("IP addresses cannot be flattred; use the site's domain name")
    return InvalidUrl(f"“{_short(host)}” is not a valid host name")


def _normalize_percent(part: str) -> str:
    """Decode percent-escapes of unreserved characters, upper-case the others (RFC 3986)."""

    def fix(match: re.Match) -> str:
        byte = int(match.group(1), 16)
        return chr(byte) if byte in _UNRESERVED else "%" + match.group(1).upper()

    return _PERCENT.sub(fix, part) if "%" in part else part


def _is_tracking(name: str, host: str) -> bool:
    name = unquote(name).lower()
    if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
        return True
    return name == "si" and strip_www(host) in YOUTUBE_SHARE_HOSTS


def normalize_path_prefix(prefix: str) -> str:
    """A stored path prefix spelled like a normalised path, for comparison."""
    prefix = _normalize_percent(prefix.strip())
    return prefix if prefix.startswith("/") else "/" + prefix


def normalize_query(search: str, host: str) -> str:
    """Drop tracking parameters and empty pieces; sort the rest by name (stable)."""
    pieces = []
    for piece in search.removeprefix("?").split("&"):
        if not piece:
            continue
        piece = _normalize_percent(piece)
        name = piece.partition("=")[0]
        if not _is_tracking(name, host):
            pieces.append((name, piece))
    pieces.sort(key=lambda item: item[0])
    return "&".join(piece for _, piece in pieces)


def parse_url(raw: str) -> ParsedUrl:
    """Validate and normalise a URL into its parts, or raise `InvalidUrl`."""
    if not isinstance(raw, str):
        raise InvalidUrl("the URL must be a string")
    text = _TAB_NEWLINE.sub("", _STRIPPED.sub("", raw))
    if not text:
        raise InvalidUrl("the URL is empty")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidUrl(f"the URL is longer than {MAX_URL_LENGTH} characters")
    scheme = _scheme_of(text)
    if scheme is None:
        hint = text.lstrip("/")
        raise InvalidUrl(f"“{_short(text)}” has no scheme; write it as https://{_short(hint)}")
    if scheme not in ("http", "https"):
        raise InvalidUrl(f"{scheme}: is not a web page; only http and https pages can be flattred")
    scheme_end = len(scheme) + 1
    text = _with_ascii_host(text, scheme_end)
    try:
        parts = ada_url.parse_url(text)
    except ValueError:
        raise _diagnose(text, scheme_end) from None
    if parts["host_type"] != 0:  # IPv4 or IPv6
        raise InvalidUrl("IP addresses cannot be flattred; use the site's domain name")
    host = parts["hostname"]
    if host.endswith("."):
        host = host[:-1]
    check_public_host(host)
    return ParsedUrl(
        scheme=scheme,
        host=host,
        port=parts["port"],
        path=_normalize_percent(parts["pathname"]) or "/",
        query=normalize_query(parts["search"], host),
    )


def unparse(url: ParsedUrl) -> str:
    port = f":{url.port}" if url.port else ""
    query = f"?{url.query}" if url.query else ""
    return f"{url.scheme}://{url.host}{port}{url.path}{query}"


def normalize_url(raw: str) -> str:
    """The normalised form of a URL (a thing's identity), or `InvalidUrl` saying what is wrong."""
    return unparse(parse_url(raw))
