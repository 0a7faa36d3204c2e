"""Registers the web pages on the application."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from registry_service.api.boundary import HTML_ERROR_RENDERER
from registry_service.web.pages import (
    accounts,
    admin,
    claims,
    delegations,
    escrow,
    extensions,
    flattrs,
    funding,
    gifts,
    history,
    income,
    public,
    widget,
)
from registry_service.web.rendering import html_error_renderer, setup_templates
from registry_service.web.routing import WEB_ROUTES

STATIC_DIR = Path(__file__).parent / "static"

PAGES = (
    public.routes,
    accounts.routes,
    extensions.routes,
    widget.routes,
    funding.routes,
    flattrs.routes,
    gifts.routes,
    history.routes,
    escrow.routes,
    claims.routes,
    delegations.routes,
    income.routes,
    admin.routes,
)


def setup(app: web.Application) -> None:
    """Templates, static files, every page, and HTML errors for browsers outside the API."""
    setup_templates(app)
    app[WEB_ROUTES] = []
    for routes in PAGES:
        routes.add_to(app)
    app.router.add_static("/static/", STATIC_DIR, name="static", append_version=True)
    app[HTML_ERROR_RENDERER] = html_error_renderer
