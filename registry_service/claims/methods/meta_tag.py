"""The meta tag method: `<meta name="omniflattr-verification" content="<token>">` in the
`<head>` of the host's home page. Only the head counts: the body holds other people's words
(comments), the head is the site's own."""

from __future__ import annotations

import html

from bs4 import BeautifulSoup

from registry_service.claims.findings import Finding
from registry_service.claims.methods.fetching import (
    Fetched,
    fetch,
    status_problem,
    try_www_too,
)
from registry_service.context import Context

META_NAME = "omniflattr-verification"


def meta_tag(token: str) -> str:
    return f'<meta name="{META_NAME}" content="{html.escape(token)}">'


def home_url(host: str) -> str:
    return f"https://{host}/"


def head_meta_values(page: bytes, name: str) -> tuple[list[str], list[str]]:
    """Contents of `<meta name=...>` tags in the head, and of those outside it."""
    soup = BeautifulSoup(page, "lxml")
    in_head: list[str] = []
    elsewhere: list[str] = []
    for tag in soup.find_all("meta"):
        if str(tag.get("name", "")).strip().lower() != name:
            continue
        content = str(tag.get("content", "")).strip()
        inside = any(parent.name == "head" for parent in tag.parents)
        (in_head if inside else elsewhere).append(content)
    return in_head, elsewhere


def judge_meta(url: str, fetched: Fetched, token: str) -> Finding:
    problem = status_problem(url, fetched)
    if problem is not None:
        return Finding("meta_tag", url, *problem)
    in_head, elsewhere = head_meta_values(fetched.result.body, META_NAME)
    if token.upper() in (v.upper() for v in in_head):
        return Finding("meta_tag", url, "found", f"The <head> of {url} carries your meta tag.")
    if token.upper() in (v.upper() for v in elsewhere):
        return Finding(
            "meta_tag",
            url,
            "mismatch",
            f"{url} has your meta tag outside the <head>; only the <head> counts, move it there.",
        )
    if in_head:
        return Finding(
            "meta_tag",
            url,
            "mismatch",
            f"{url} has a {META_NAME} meta tag but with a different token; add {meta_tag(token)}.",
        )
    return Finding(
        "meta_tag",
        url,
        "missing",
        f"The <head> of {url} has no {META_NAME} meta tag; add {meta_tag(token)}.",
    )


async def check_meta_tag(context: Context, host: str, token: str) -> list[Finding]:
    findings: list[Finding] = []
    for candidate in (host, f"www.{host}"):
        url = home_url(candidate)
        fetched = await fetch(context, url)
        finding = judge_meta(url, fetched, token)
        if finding.ok:
            return [finding]
        findings.append(finding)
        if candidate != host or not try_www_too(host, [fetched]):
            break
    return findings
