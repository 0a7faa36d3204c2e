"""Runs crawl workers inside the service (``omniflattr serve``) unless turned off."""

from __future__ import annotations

from aiohttp import web


def setup(app: web.Application) -> None:
    """Add routes now; background work goes in app.cleanup_ctx and reads app[CONTEXT]."""
    pass
