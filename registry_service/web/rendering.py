"""Turning templates into responses: shared page context, security headers, error pages."""

from __future__ import annotations

import logging
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from registry_service.accounts.auth import is_admin
from registry_service.api.errors import ApiError
from registry_service.api.state import CONTEXT, SETTINGS
from registry_service.web import sessions
from registry_service.web.formatting import format_date, format_money, format_percent, month_label
from registry_service.web.i18n import LANG_COOKIE, LANGUAGE_NAMES, LANGUAGES, Translator, negotiate
from registry_service.web.money_input import input_value

log = logging.getLogger("omniflattr.web")

TEMPLATES_DIR = Path(__file__).parent / "templates"

LANG_KEY = web.RequestKey("web_lang", str)
ACCOUNT_KEY = web.RequestKey("web_account", object)

# Pages load only this site's own files; nothing may frame them (the extension's
# approve page must not be clickjacked); forms post only here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

# Error codes whose message is translated (`errors.<code>`); others show the service's text.
STATUS_TITLES = (400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503)


def setup_templates(app: web.Application) -> jinja2.Environment:
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=jinja2.select_autoescape(("html", "svg"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def request_lang(request: web.Request) -> str:
    lang = request.get(LANG_KEY)
    if lang is None:
        lang = negotiate(
            request.cookies.get(LANG_COOKIE), request.headers.get("Accept-Language", "")
        )
        request[LANG_KEY] = lang
    return lang


def user_view(account: dict | None, is_admin: bool = False) -> dict | None:
    if account is None:
        return None
    return {
        "id": str(account["_id"]),
        "email": account["email"],
        "display_name": account.get("display_name") or account.get("handle", ""),
        "handle": account.get("handle", ""),
        "is_admin": is_admin,
    }


def base_context(request: web.Request, *, user_known: bool = True) -> dict:
    """What every template can use: translations, formatting, the visitor, the session."""
    settings = request.app[SETTINGS]
    lang = request_lang(request)
    t = Translator(lang)
    session = sessions.current(request)
    account = request.get(ACCOUNT_KEY)
    context = request.app.get(CONTEXT)
    admin = account is not None and context is not None and is_admin(context, account)
    path_qs = request.rel_url.raw_path_qs
    return {
        "t": t,
        "lang": lang,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "money": lambda cents, **kw: format_money(cents, lang, settings.currency, **kw),
        "percent": lambda basis_points: format_percent(basis_points, lang),
        "amount_input": lambda cents: input_value(cents, lang),
        "date": lambda value: format_date(value, t),
        "month": lambda value, short=False: month_label(value, t, short=short),
        "user": user_view(account, admin),
        "user_known": user_known,
        "csrf_token": session.csrf_token if session else "",
        "current_path": path_qs,
        "base_url": settings.base_url,
        "static": lambda name: str(request.app.router["static"].url_for(filename=name)),
        "flashes": [],
        "page_title": "",
    }


def finish(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    """Headers every page gets, and the session cookie decided while handling it."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cache-Control", "no-store")
    headers["Content-Language"] = request_lang(request)
    headers["Vary"] = "Accept-Language, Cookie"
    context = request.app.get(CONTEXT)
    if context is not None:
        sessions.apply_cookie(request, response, context)
    return response


def render(request: web.Request, template: str, values: dict, status: int = 200) -> web.Response:
    response = aiohttp_jinja2.render_template(template, request, values, status=status)
    finish(request, response)
    return response


def error_message(t: Translator, error: ApiError) -> str:
    key = f"errors.{error.code}"
    if t.has(key):
        return t(key, retry_after=error.headers.get("Retry-After", ""))
    return error.message


def error_page(request: web.Request, error: ApiError, *, user_known: bool = True) -> web.Response:
    """A friendly page for an error: what happened and where to go, never a traceback."""
    values = base_context(request, user_known=user_known)
    t = values["t"]
    status = (
        error.status if error.status in STATUS_TITLES else (500 if error.status >= 500 else 400)
    )
    values.update(
        page_title=t(f"status.{status}"),
        status=error.status,
        message=error_message(t, error),
        code=error.code,
    )
    try:
        response = render(request, "error.html", values, status=error.status)
    except Exception:  # the error page itself must never fail
        log.exception("could not render the error page")
        response = web.Response(status=error.status, text=f"{error.status} {error.message}")
    for name, value in error.headers.items():
        if name.lower() in ("retry-after", "allow"):
            response.headers[name] = value
    return response


def html_error_renderer(request: web.Request, error: ApiError) -> web.StreamResponse:
    """HTML errors for browsers outside the API (unknown paths, wrong methods, ...).

    It runs without the web session loaded, so the page cannot say who is signed in.
    """
    return error_page(request, error, user_known=request.get(SESSION_LOADED, False))


SESSION_LOADED = web.RequestKey("web_session_loaded", bool)
