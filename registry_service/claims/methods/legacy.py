"""Legacy Flattr ids (`flattr:<id>`): claimable by the verified owner of a domain whose home
page carries `<meta name="flattr:id" content="<id>">` in its <head>."""

from __future__ import annotations

import asyncio

from registry_service.claims.findings import Finding
from registry_service.claims.methods.fetching import fetch, status_problem
from registry_service.claims.methods.meta_tag import head_meta_values, home_url
from registry_service.context import Context

LEGACY_META = "flattr:id"


async def check_legacy(context: Context, flattr_id: str, hosts: list[str]) -> list[Finding]:
    if not hosts:
        return [
            Finding(
                "legacy_meta",
                "",
                "missing",
                "A legacy flattr: key is proved through a domain you own here: verify your "
                "domain first, then keep its flattr:id meta tag on its home page.",
            )
        ]
    return list(await asyncio.gather(*(_check_host(context, flattr_id, h) for h in hosts)))


async def _check_host(context: Context, flattr_id: str, host: str) -> Finding:
    url = home_url(host)
    fetched = await fetch(context, url)
    problem = status_problem(url, fetched)
    if problem is not None:
        return Finding("legacy_meta", url, *problem)
    in_head, _ = head_meta_values(fetched.result.body, LEGACY_META)
    if flattr_id.lower() in (value.lower() for value in in_head):
        return Finding(
            "legacy_meta", url, "found", f"The <head> of {url} names the Flattr id {flattr_id}."
        )
    return Finding(
        "legacy_meta",
        url,
        "missing",
        f'The <head> of {url} has no <meta name="flattr:id" content="{flattr_id}">.',
    )
