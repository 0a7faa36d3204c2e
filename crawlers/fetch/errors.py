"""What a fetch returns, and how it fails."""

from __future__ import annotations

from dataclasses import dataclass

from multidict import CIMultiDictProxy


class FetchError(Exception):
    """A fetch that did not happen or did not finish; `message` says why in plain words.

    Codes: invalid_url, unsupported_scheme, port_refused, ip_literal_refused, host_refused,
    dns_failed, address_refused, redirect_refused, too_many_redirects, timeout,
    connection_failed, bad_response, unsupported_encoding.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"FetchError({self.code!r}, {self.message!r})"


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    truncated: bool = False  # cut at max_bytes: the body is only the first part
    stopped_at: bool = False  # the download stopped after the `until` marker, by request
    redirects: int = 0

    def text(self) -> str:
        return self.body.decode(self.charset or "utf-8", errors="replace")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("Content-Type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip("\"' ").lower()
                try:
                    "".encode(charset)
                except LookupError:
                    return None
                return charset
        return None
