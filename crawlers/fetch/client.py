"""The guarded HTTP client: the only way any code of the project fetches from outside."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from crawlers import metrics
from crawlers.fetch.body import ACCEPT_ENCODING, BoundedBody, StopAt
from crawlers.fetch.errors import FetchError, FetchResult
from crawlers.fetch.resolver import GuardedResolver
from crawlers.fetch.targets import plan_request
from registry_service.config import Settings

log = logging.getLogger("omniflattr.crawler.fetch")

MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
BOT_NAME = "OmniflattrBot"
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
BOT_VERSION = "0.1"


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0  # DNS + TCP + TLS
    read: float = 10.0  # between two reads
    total: float = 30.0  # the whole fetch, every redirect included


def user_agent(settings: Settings) -> str:
    return f"{BOT_NAME}/{BOT_VERSION} (+{settings.crawler_user_agent_url})"


class GuardedClient:
    """http(s) GETs to public addresses only, with caps, timeouts and checked redirects."""

    def __init__(
        self,
        settings: Settings,
        *,
        timeouts: Timeouts | None = None,
        resolver: GuardedResolver | None = None,
        max_connections: int = 100,
    ) -> None:
        self.settings = settings
        self.timeouts = timeouts or Timeouts()
        self.resolver = resolver or GuardedResolver(
            settings.crawl_host_map, nameservers=settings.dns_nameservers
        )
        self.user_agent = user_agent(settings)
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                resolver=self.resolver,
                use_dns_cache=False,  # every connection asks the guarded resolver
                limit=self._max_connections,
                limit_per_host=8,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                trust_env=False,  # no proxy or netrc from the environment
                auto_decompress=False,  # decompressed here, within the byte cap
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=self.timeouts.connect,
                    sock_connect=self.timeouts.connect,
                    sock_read=self.timeouts.read,
                ),
                max_field_size=16 * 1024,
            )
        return self._session

    async def get(
        self,
        url: str,
        *,
        max_bytes: int = MAX_BYTES,
        headers: Mapping[str, str] | None = None,
        same_host_redirects_only: bool = False,
        until: bytes | StopAt | None = None,
        max_redirects: int = MAX_REDIRECTS,
    ) -> FetchResult:
        """GET `url`; redirects followed (each re-checked); body cut at `max_bytes`.

        `until` stops the download once those bytes were seen (the head's end for page
        crawls: a `StopAt` whose check skips a "</head>" in a script).
        Any refusal or failure raises `FetchError` with a message a person can act on.
        """
        started = time.monotonic()
        outcome = "error"
        try:
            async with asyncio.timeout(self.timeouts.total):
                result = await self._follow(
                    url, max_bytes, headers or {}, same_host_redirects_only, until, max_redirects
                )
            outcome = f"{result.status // 100}xx"
            metrics.FETCH_BYTES.inc(len(result.body))
            return result
        except TimeoutError:
            outcome = "timeout"
            raise FetchError(
                "timeout", f"{url} did not answer within {self.timeouts.total:g} s"
            ) from None
        except FetchError as exc:
            outcome = exc.code
            raise
        finally:
            metrics.FETCHES.labels(outcome).inc()
            metrics.FETCH_SECONDS.observe(time.monotonic() - started)

    async def _follow(
        self,
        url: str,
        max_bytes: int,
        headers: Mapping[str, str],
        same_host_only: bool,
        until: bytes | StopAt | None,
        max_redirects: int,
    ) -> FetchResult:
        host_map = self.settings.crawl_host_map
        plan = plan_request(url, host_map)
        first_host = plan.host
        for hop in range(max_redirects + 1):
            request_headers = CIMultiDict(
                {
                    "User-Agent": self.user_agent,
                    "Accept": ACCEPT,
                    "Accept-Encoding": ACCEPT_ENCODING,
                }
            )
            request_headers.update(headers)
            if plan.mapped:
                request_headers["Host"] = plan.host
            location, result = await self._one(plan.connect_url, request_headers, max_bytes, until)
            if location is None:
                result.url, result.final_url, result.redirects = url, str(plan.url), hop
                return result
            try:
                target = plan.url.join(URL(location))
            except ValueError:
                raise FetchError(
                    "redirect_refused", f"{plan.url} redirects to an invalid URL: {location!r}"
                ) from None
            try:
                next_plan = plan_request(target, host_map)
            except FetchError as exc:
                raise FetchError(
                    "redirect_refused", f"{plan.url} redirects to {target}: {exc.message}"
                ) from None
            if same_host_only and next_plan.host != first_host:
                raise FetchError(
                    "redirect_refused",
                    f"{plan.url} redirects to another host ({next_plan.host}); "
                    f"only redirects within {first_host} are followed here",
                )
            plan = next_plan
        raise FetchError(
            "too_many_redirects", f"{url} redirects more than {max_redirects} times: stopped"
        )

    async def _one(
        self, connect_url: URL, headers: CIMultiDict, max_bytes: int, until: bytes | None
    ) -> tuple[str | None, FetchResult]:
        session = self._get_session()
        host = headers.get("Host") or connect_url.host or "?"
        try:
            async with session.get(connect_url, headers=headers, allow_redirects=False) as response:
                location = response.headers.get("Location")
                if response.status in REDIRECT_STATUSES and location:
                    return location, _empty(response)
                body = BoundedBody(
                    response.headers.get("Content-Encoding", ""), max_bytes, until=until
                )
                if until is not None and not is_markup(response.headers.get("Content-Type")):
                    body.stopped_at = True  # an image or a PDF has no head: not downloaded
                else:
                    async for chunk in response.content.iter_chunked(CHUNK):
                        if body.feed(chunk):
                            break
                if body.truncated or not await _drain_small_rest(response, body):
                    response.close()  # do not read the rest: drop the connection
                return None, FetchResult(
                    str(connect_url),
                    str(connect_url),
                    response.status,
                    response.headers,
                    body.body,
                    truncated=body.truncated,
                    stopped_at=body.stopped_at,
                )
        except FetchError:
            raise
        except aiohttp.ClientConnectorDNSError as exc:
            raise _unwrap(exc) or FetchError(
                "dns_failed", f"{host} could not be resolved: {exc.os_error}"
            ) from None
        except aiohttp.ClientConnectorCertificateError as exc:
            raise FetchError(
                "connection_failed",
                f"{host} has an invalid TLS certificate: {exc.certificate_error}",
            ) from None
        except (aiohttp.ConnectionTimeoutError, aiohttp.SocketTimeoutError):
            raise FetchError("timeout", f"{host} is too slow to answer") from None
        except aiohttp.ClientConnectorError as exc:
            raise _unwrap(exc) or FetchError(
                "connection_failed", f"could not connect to {host}: {exc.os_error.strerror or exc}"
            ) from None
        except (aiohttp.ClientPayloadError, aiohttp.ServerDisconnectedError) as exc:
            raise FetchError("bad_response", f"{host} sent a broken response: {exc}") from None
        except aiohttp.ClientResponseError as exc:
            raise FetchError(
                "bad_response", f"{host} did not answer with valid HTTP: {exc.message}"
            ) from None
        except aiohttp.ClientError as exc:
            raise FetchError("connection_failed", f"fetching from {host} failed: {exc}") from None
        except (ValueError, UnicodeError) as exc:
            raise FetchError("bad_response", f"{host} sent a malformed response: {exc}") from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


DRAIN_LIMIT = 256 * 1024


def is_markup(content_type: str | None) -> bool:
    """HTML, XML (feeds) or text, or unsaid: worth reading for a `<head>`."""
    kind = (content_type or "").split(";")[0].strip().lower()
    return (
        not kind
        or kind.startswith("text/")
        or kind in ("application/xhtml+xml", "application/xml")
        or kind.endswith("+xml")
    )


async def _drain_small_rest(response: aiohttp.ClientResponse, body: BoundedBody) -> bool:
    """After stopping at a marker: read and drop a small rest so the connection can be
    reused (as browsers do); a large or unknown rest is not worth it: False."""
    if not body.stopped_at:
        return True
    remaining = (response.content_length or 0) - body.raw_bytes
    if response.content_length is None or remaining > DRAIN_LIMIT:
        return False
    drained = 0
    async for chunk in response.content.iter_chunked(CHUNK):
        drained += len(chunk)
        if drained > DRAIN_LIMIT:
            return False
    return True


def _empty(response: aiohttp.ClientResponse) -> FetchResult:
    return FetchResult("", "", response.status, response.headers, b"")


def _unwrap(exc: BaseException) -> FetchError | None:
    """aiohttp wraps errors raised by the resolver; give back ours."""
    seen = exc
    while seen is not None:
        if isinstance(seen, FetchError):
            return seen
        seen = seen.__cause__ or getattr(seen, "os_error", None)
        if seen is exc:
            return None
    return None


SERVICE_NAME = "guarded_client"


def get_guarded_client(context) -> GuardedClient:
    """The process's guarded client (one connection pool), created on first use."""
    client = context.services.get(SERVICE_NAME)
    if client is None:
        client = context.services[SERVICE_NAME] = GuardedClient(context.settings)
    return client


async def close_guarded_client(context) -> None:
    client = context.services.pop(SERVICE_NAME, None)
    if client is not None:
        await client.close()


def headers_proxy(values: Mapping[str, str]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(values))
