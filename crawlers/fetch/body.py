"""Reading a response body within a byte budget, decompressing without ever exceeding it.

A gzip bomb (a few KB that inflate to gigabytes) is cut at the cap: each decoder is
asked for at most the bytes still allowed, so memory stays bounded by the cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is a declared dependency
    brotli = None

from crawlers.fetch.errors import FetchError

SUPPORTED_ENCODINGS = ("gzip", "deflate", "br") if brotli else ("gzip", "deflate")
ACCEPT_ENCODING = ", ".join(SUPPORTED_ENCODINGS)


class _Identity:
    def feed(self, data: bytes, limit: int) -> bytes:
        return data[:limit]


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self._obj = zlib.decompressobj(wbits) if wbits != zlib.MAX_WBITS else None
        self._head = b""  # "deflate": the first two bytes tell zlib-wrapped from raw

    def _choose(self, data: bytes) -> bytes:
        self._head += data
        if len(self._head) < 2:
            return b""
        cmf, flg = self._head[0], self._head[1]
        wrapped = cmf & 0x0F == 8 and (cmf << 8 | flg) % 31 == 0
        # "deflate" is often sent raw, without the zlib header.
        self._obj = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        data, self._head = self._head, b""
        return data

    def feed(self, data: bytes, limit: int) -> bytes:
        if limit <= 0:
            return b""
        if self._obj is None:
            data = self._choose(data)
            if self._obj is None:
                return b""
        data = self._obj.unconsumed_tail + data
        try:
            return self._obj.decompress(data, limit)
        except zlib.error:
            raise FetchError("bad_response", "the compressed body is corrupt") from None


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> bytes:
        if limit <= 0:
            return b""
        if data and not self._obj.can_accept_more_data():
            return b"\0"  # output is still pending: more than the room, so the body is cut
        try:
            out = self._obj.process(data, output_buffer_limit=limit)
        except brotli.error:
            raise FetchError("bad_response", "the compressed body is corrupt") from None
        return out[:limit]


def decoder_for(content_encoding: str):
    """A decoder for a Content-Encoding header value (identity when empty)."""
    encodings = [e.strip().lower() for e in content_encoding.split(",") if e.strip()]
    encodings = [e for e in encodings if e != "identity"]
    if not encodings:
        return _Identity()
    if len(encodings) > 1:
        raise FetchError(
            "unsupported_encoding", f"stacked content encodings are not read: {content_encoding}"
        )
    encoding = encodings[0]
    if encoding in ("gzip", "x-gzip"):
        return _Zlib(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if encoding == "br" and brotli is not None:
        return _Brotli()
    raise FetchError("unsupported_encoding", f"the body is in an unsupported encoding: {encoding}")


@dataclass(frozen=True)
class StopAt:
    """Where a download may stop: after `marker` (any case), once a check made for the
    download by `new_check` agrees, given the body so far. The check is asked only when
    the marker shows up in a chunk; it may keep state between calls (the body only grows).
    """

    marker: bytes
    new_check: Callable[[], Callable[[bytearray], bool]] | None = None


class BoundedBody:
    """Collects decoded bytes up to `max_bytes`; optionally stops after a marker."""

    def __init__(self, content_encoding: str, max_bytes: int, until: bytes | StopAt | None = None):
        self._decoder = decoder_for(content_encoding)
        self.max_bytes = max_bytes
        stop = StopAt(until) if isinstance(until, bytes) else until
        self.until = stop.marker.lower() if stop else None
        self._confirm = stop.new_check() if stop and stop.new_check else None
        self._parts = bytearray()
        self.truncated = False
        self.stopped_at = False
        self._searched = 0
        self.raw_bytes = 0

    def feed(self, chunk: bytes) -> bool:
        """Add raw bytes; True when enough was read (cap reached or marker seen)."""
        self.raw_bytes += len(chunk)
        room = self.max_bytes - len(self._parts)
        # Ask for one byte more than the room: getting it proves there was more.
        out = self._decoder.feed(chunk, room + 1)
        if len(out) > room:
            self._parts += out[:room]
            self.truncated = True
            return True
        self._parts += out
        if self.until is not None and self._marker_seen():
            self.stopped_at = True
            return True
        return len(self._parts) >= self.max_bytes and self._more_pending()

    def _more_pending(self) -> bool:
        extra = self._decoder.feed(b"", 1)
        if extra:
            self.truncated = True
            return True
        return False

    def _marker_seen(self) -> bool:
        assert self.until is not None
        start = max(0, self._searched - len(self.until))
        window = bytes(self._parts[start:]).lower()
        self._searched = len(self._parts)
        if self.until not in window:
            return False
        return self._confirm is None or self._confirm(self._parts)

    @property
    def body(self) -> bytes:
        return bytes(self._parts)
