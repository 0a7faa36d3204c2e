"""Application keys shared by the API, the web pages and the background workers."""

from __future__ import annotations

from aiohttp import web

from registry_service.config import Settings
from registry_service.context import Context

SETTINGS = web.AppKey("settings", Settings)
CONTEXT = web.AppKey("context", Context)
ROUTE_SPECS = web.AppKey("route_specs", list)
# False with `omniflattr serve --no-crawler` (and in most tests).
RUN_CRAWLER = web.AppKey("run_crawler", bool)
