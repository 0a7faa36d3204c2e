"""`omniflattr resolve [--offline | --crawl] URL...`: one JSON object per URL per line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable

from registry_service.config import Settings


def add_commands(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "resolve",
        help="print the creator key each URL pays (one JSON object per line)",
        description="Print the creator key each URL pays, one JSON object per URL per line. "
        "Exits 1 when any URL is not a public http(s) URL.",
    )
    mode = command.add_mutually_exclusive_group()
    mode.add_argument(
        "--offline",
        action="store_true",
        help="use only the URL itself: no database, no network (claims and crawls unknown)",
    )
    mode.add_argument("--crawl", action="store_true", help="crawl each page first, then resolve it")
    command.add_argument("urls", nargs="+", metavar="URL")
    command.set_defaults(run=run)


def line(url: str, **fields) -> str:
    return json.dumps({"url": url, **fields}, ensure_ascii=False)


def error_line(url: str, code: str, message: str) -> str:
    return line(url, error={"code": code, "message": message})


def resolution_line(url: str, normalized: str, key: str, source: str, pending: bool, **extra):
    return line(url, normalized=normalized, key=key, source=source, pending=pending, **extra)


def offline_lines(urls: Iterable[str]) -> tuple[list[str], bool]:
    """What the URLs alone say (no database: nothing is claimed, delegated or crawled)."""
    from registry_service.resolve.rules import decide
    from registry_service.resolve.things import analyse
    from registry_service.resolve.urls import InvalidUrl

    out, failed = [], False
    for url in urls:
        try:
            thing = analyse(url)
        except InvalidUrl as exc:
            out.append(error_line(url, exc.code, exc.message))
            failed = True
            continue
        decision = decide(thing, None, (), {}, {})
        out.append(resolution_line(url, thing.normalized, decision.keys[0], decision.source, False))
    return out, failed


async def _crawl_first(context, normalized: str) -> dict | None:
    """Crawl one page now; the error {code, message} if that failed, else None."""
    from crawlers import pipeline

    try:
        outcome = await pipeline.crawl_now(context, normalized)
    except NotImplementedError as exc:
        return {"code": "crawler_unavailable", "message": str(exc) or "no crawler here"}
    except Exception as exc:  # any crawl failure is reported for this URL, not fatal
        code = getattr(exc, "code", None) or "crawl_failed"
        return {"code": str(code), "message": getattr(exc, "message", None) or str(exc)}
    error = outcome.get("error") if isinstance(outcome, dict) else None
    if not isinstance(error, dict):
        return None
    return {"code": str(error.get("code") or "crawl_failed"), "message": str(error.get("message"))}


async def _close_crawler(context) -> None:
    from crawlers.fetch import close_guarded_client

    await close_guarded_client(context)


async def database_lines(context, urls: list[str], crawl: bool) -> tuple[list[str], bool]:
    from registry_service.resolve.resolver import Resolver
    from registry_service.resolve.urls import InvalidUrl, normalize_url

    resolver = Resolver(context, cache=False)
    crawl_errors: dict[str, dict] = {}
    if crawl:
        for url in urls:
            try:
                normalized = normalize_url(url)
            except InvalidUrl:
                continue  # reported below
            if normalized not in crawl_errors:
                error = await _crawl_first(context, normalized)
                crawl_errors[normalized] = error or {}
        await _close_crawler(context)
    results = await resolver.resolve_many(urls, crawl=False)
    out, failed = [], False
    for url, result in zip(urls, results, strict=True):
        if isinstance(result, InvalidUrl):
            out.append(error_line(url, result.code, result.message))
            failed = True
            continue
        extra = {}
        if crawl_errors.get(result.normalized):
            extra["crawl_error"] = crawl_errors[result.normalized]
        out.append(
            resolution_line(
                url, result.normalized, result.key, result.source, result.pending, **extra
            )
        )
    return out, failed


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.offline:
        lines, failed = offline_lines(args.urls)
        sys.stdout.write("".join(f"{text}\n" for text in lines))
        return 1 if failed else 0

    from registry_service.cli.runner import run_with_context

    outcome: dict[str, bool] = {}

    async def work(context) -> int:
        lines, outcome["failed"] = await database_lines(context, args.urls, args.crawl)
        sys.stdout.write("".join(f"{text}\n" for text in lines))
        return 0

    code = run_with_context(settings, work, log_json=args.log_json)
    return code or (1 if outcome.get("failed") else 0)
