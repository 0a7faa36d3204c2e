"""The one HTTP client for every outside fetch. (Placeholder: the hardened client replaces it.)

Contract kept by the real one: `GuardedClient(settings)`, `await client.get(url, ...)` ->
`FetchResult`, failures raise `FetchError` with a message a person can act on, and
`get_guarded_client(context)` shares one client per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from multidict import CIMultiDictProxy

from registry_service.config import Settings

MAX_BYTES = 2 * 1024 * 1024
SERVICE_NAME = "guarded_client"


class FetchError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    truncated: bool = False

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class GuardedClient:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._session: aiohttp.ClientSession | None = None

    async def get(
        self,
        url: str,
        *,
        max_bytes: int = MAX_BYTES,
        headers: dict[str, str] | None = None,
        same_host_redirects_only: bool = False,
    ) -> FetchResult:
        if self._session is None:
            self._session = aiohttp.ClientSession(trust_env=False)
        parts = urlsplit(url)
        target = url
        extra = dict(headers or {})
        mapped = self.settings.crawl_host_map.get((parts.hostname or "").lower())
        if mapped:
            target = urlunsplit(("http", f"{mapped[0]}:{mapped[1]}", parts.path, parts.query, ""))
            extra["Host"] = parts.hostname or ""
        try:
            async with self._session.get(target, headers=extra, allow_redirects=False) as resp:
                body = await resp.content.read(max_bytes)
                return FetchResult(url, url, resp.status, resp.headers, body)
        except aiohttp.ClientError as exc:
            raise FetchError("connection_failed", f"{url} could not be fetched: {exc}") from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def get_guarded_client(context) -> GuardedClient:
    client = context.services.get(SERVICE_NAME)
    if client is None:
        client = context.services[SERVICE_NAME] = GuardedClient(context.settings)
    return client
