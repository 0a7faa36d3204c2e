"""Registers the web pages on the application."""

from __future__ import annotations

from aiohttp import web


def setup(app: web.Application) -> None:
    """Add routes now; background work goes in app.cleanup_ctx and reads app[CONTEXT]."""
    pass
