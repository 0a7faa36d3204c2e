"""Fetching for checks: always the crawler's guarded client, same-host redirects only."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from crawlers.fetch import FetchError, FetchResult, get_guarded_client
from registry_service.context import Context

FETCH_TIMEOUT_S = 15.0
SMALL_BYTES = 64 * 1024
PAGE_BYTES = 1024 * 1024


# Refusals that are the site's own clean answer (it sends the proof elsewhere), not outages.
REFUSED_REDIRECTS = ("redirect_refused", "too_many_redirects")


@dataclass(frozen=True)
class Fetched:
    result: FetchResult | None
    error: str | None  # a sentence a person can act on
    code: str | None = None  # FetchError.code

    @property
    def status(self) -> int | None:
        return self.result.status if self.result is not None else None


async def fetch(
    context: Context, url: str, *, max_bytes: int = PAGE_BYTES, headers: dict | None = None
) -> Fetched:
    client = get_guarded_client(context)
    try:
        async with asyncio.timeout(FETCH_TIMEOUT_S):
            result = await client.get(
                url, max_bytes=max_bytes, headers=headers, same_host_redirects_only=True
            )
    except FetchError as exc:
        return Fetched(None, exc.message, exc.code)
    except TimeoutError:
        return Fetched(None, f"{url} did not answer within {FETCH_TIMEOUT_S:.0f} s.", "timeout")
    return Fetched(result, None)


def status_problem(url: str, fetched: Fetched) -> tuple[str, str] | None:
    """(outcome, sentence) when a fetch is no use; None for a 200.

    A server's clean "no" (404, 403, a redirect elsewhere) is "missing"; an outage
    (not reached, 5xx, 429) is "error", which never counts as evidence that control changed.
    """
    if fetched.result is None:
        message = fetched.error or f"{url} could not be fetched."
        if fetched.code in REFUSED_REDIRECTS:
            return "missing", f"{message.rstrip('.')}. Put the proof at {url} itself."
        return "error", message
    status = fetched.result.status
    if 300 <= status < 400:
        location = fetched.result.headers.get("Location", "")
        where = f" to {location}" if location else ""
        return "missing", (
            f"{url} answered {status}, a redirect{where}; only redirects within the same host "
            "are followed, so put the proof at this address."
        )
    if status >= 500 or status == 429:
        return "error", f"{url} answered {status} (a server error); try again later."
    if status != 200:
        return "missing", f"{url} answered {status}."
    return None


def try_www_too(host: str, fetched: list[Fetched]) -> bool:
    """Look at www.<host> as well: the apex redirects there, or does not answer at all
    (a site served only at www.). `www.` is never part of a key."""
    if host.startswith("www."):
        return False
    return any(redirects_to_www(host, f) or f.code in REFUSED_REDIRECTS for f in fetched) or all(
        f.result is None for f in fetched
    )


def redirects_to_www(host: str, fetched: Fetched) -> bool:
    if fetched.result is None or not 300 <= fetched.result.status < 400:
        return False
    location = fetched.result.headers.get("Location", "")
    return location.startswith((f"https://www.{host}", f"http://www.{host}", f"//www.{host}"))
