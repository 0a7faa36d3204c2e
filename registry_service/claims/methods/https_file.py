"""The HTTPS file method: the token on a line of its own at a well-known path of the host.

`/.well-known/omniflattr-verification`, or `/omniflattr-verification.txt` for static-site
generators that drop dot-folders. Proves that host (and `www.` of it, which is never part
of a key: a site that redirects to `www.` is looked at there).
"""

from __future__ import annotations

import asyncio

from registry_service.claims.findings import Finding
from registry_service.claims.methods.fetching import (
    SMALL_BYTES,
    Fetched,
    fetch,
    status_problem,
    try_www_too,
)
from registry_service.claims.tokens import contains_token
from registry_service.context import Context

PATHS = ("/.well-known/omniflattr-verification", "/omniflattr-verification.txt")


def file_urls(host: str) -> list[str]:
    return [f"https://{host}{path}" for path in PATHS]


def judge_file(url: str, fetched: Fetched, token: str) -> Finding:
    """What one fetched file says about this token (a pure rule)."""
    problem = status_problem(url, fetched)
    if problem is not None:
        return Finding("https_file", url, *problem)
    text = fetched.result.body.decode("utf-8-sig", errors="replace")  # editors add BOMs
    lines = [line.strip() for line in text.splitlines()]
    if token.upper() in (line.upper() for line in lines):
        return Finding("https_file", url, "found", f"{url} holds your token.")
    if contains_token(text, token):
        return Finding(
            "https_file",
            url,
            "mismatch",
            f"{url} contains your token, but not on a line of its own; "
            "put the token alone on one line.",
        )
    if not text.strip():
        return Finding("https_file", url, "mismatch", f"{url} is empty; put your token in it.")
    return Finding(
        "https_file", url, "mismatch", f"{url} answered, but does not contain your token."
    )


async def check_https_file(context: Context, host: str, token: str) -> list[Finding]:
    findings: list[Finding] = []
    for candidate in (host, f"www.{host}"):
        urls = file_urls(candidate)
        fetched = await asyncio.gather(*(fetch(context, u, max_bytes=SMALL_BYTES) for u in urls))
        results = [judge_file(u, f, token) for u, f in zip(urls, fetched, strict=True)]
        found = [f for f in results if f.ok]
        if found:
            return found
        findings.extend(results)
        if candidate != host or not try_www_too(host, fetched):
            break
    return findings
