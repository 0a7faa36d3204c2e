"""Declared web routes: each says who may see it, every unsafe method checks CSRF.

`WebRoutes` is the only way pages are registered, so no form can forget its CSRF check
and no private page can forget to ask for a session.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote

from aiohttp import web
from aiohttp.web_protocol import RequestPayloadError
from multidict import MultiDictProxy

from registry_service.accounts.auth import is_admin
from registry_service.api.boundary import DATABASE_AWAY, add_route
from registry_service.api.errors import ApiError, BadRequest, Forbidden
from registry_service.api.ratelimit import RateLimit
from registry_service.api.state import CONTEXT
from registry_service.context import Context
from registry_service.web import sessions, store
from registry_service.web.formatting import format_money
from registry_service.web.i18n import Translator
from registry_service.web.problems import Problem, describe
from registry_service.web.rendering import (
    ACCOUNT_KEY,
    SESSION_LOADED,
    base_context,
    error_page,
    finish,
    render,
    request_lang,
)

log = logging.getLogger("omniflattr.web")

Access = Literal["public", "account", "admin"]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class CsrfFailed(Forbidden):
    def __init__(self) -> None:
        super().__init__(
            "csrf_failed",
            "This form has expired or did not come from this site; reload the page and try again.",
        )


@dataclass
class Page:
    """One page request: who asks, in which language, and helpers to answer."""

    request: web.Request
    context: Context
    account: dict | None
    form: MultiDictProxy | None = None
    t: Translator = field(init=False)

    def __post_init__(self) -> None:
        self.t = Translator(request_lang(self.request))

    @property
    def session(self) -> sessions.WebSession | None:
        return sessions.current(self.request)

    @property
    def account_id(self):
        return self.account["_id"] if self.account else None

    @property
    def is_admin(self) -> bool:
        return self.account is not None and is_admin(self.context, self.account)

    def field(self, name: str, default: str = "") -> str:
        """A posted text field (or a query parameter on GET), stripped of surrounding space."""
        source = self.form if self.form is not None else self.request.query
        value = source.get(name, default)
        return value.strip() if isinstance(value, str) else default

    def money(self, cents: int, **kw) -> str:
        """An amount in this page's language and the deployment's currency."""
        return format_money(cents, self.t.lang, self.context.settings.currency, **kw)

    def describe(self, error: ApiError) -> Problem:
        """A service error told in this page's language (see `problems`)."""
        return describe(self.t, error, self.money)

    async def flash(self, kind: str, key: str, /, **params) -> None:
        await sessions.flash(self.request, self.context, kind, key, **params)

    async def render(self, template: str, *, status: int = 200, **values) -> web.Response:
        page_values = base_context(self.request)
        page_values["flashes"] = [
            {"kind": item["kind"], "text": self.t(item["key"], **item.get("params", {}))}
            for item in await sessions.pop_flashes(self.request, self.context)
        ]
        page_values.update(values)
        return render(self.request, template, page_values, status=status)

    def respond(self, response: web.StreamResponse) -> web.StreamResponse:
        """A response made by hand (JSON, CSV) with the headers every page gets."""
        return finish(self.request, response)

    def redirect(self, location: str) -> web.Response:
        return finish(self.request, web.Response(status=303, headers={"Location": location}))


Handler = Callable[[Page], Awaitable[web.StreamResponse]]


@dataclass
class WebRoute:
    method: str
    path: str
    handler: Handler
    access: Access
    forms: bool
    rate: RateLimit | None
    name: str | None


class WebRoutes:
    def __init__(self) -> None:
        self.routes: list[WebRoute] = []

    def route(
        self,
        method: str,
        path: str,
        *,
        access: Access,
        forms: bool = False,
        rate: RateLimit | None = None,
        name: str | None = None,
    ) -> Callable[[Handler], Handler]:
        """`forms=True`: the page shows a form, so it needs a session for its CSRF token."""

        def register(handler: Handler) -> Handler:
            self.routes.append(WebRoute(method.upper(), path, handler, access, forms, rate, name))
            return handler

        return register

    def get(self, path: str, **kw) -> Callable[[Handler], Handler]:
        return self.route("GET", path, **kw)

    def post(self, path: str, **kw) -> Callable[[Handler], Handler]:
        return self.route("POST", path, **kw)

    def add_to(self, app: web.Application) -> None:
        for route in self.routes:
            add_route(app, route.method, route.path, _wrap(route), name=route.name)
        app[WEB_ROUTES].extend(self.routes)


WEB_ROUTES = web.AppKey("web_routes", list)


def sign_in_location(request: web.Request) -> str:
    return "/signin?next=" + quote(request.rel_url.raw_path_qs, safe="")


def _wrap(route: WebRoute) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    # Each application counts for itself (tests build many applications in one process).
    limiter = RateLimit(route.rate.rate, route.rate.per, route.rate.burst) if route.rate else None

    async def handle(request: web.Request) -> web.StreamResponse:
        context: Context = request.app[CONTEXT]
        try:
            return await _serve(route, limiter, request, context)
        except ApiError as error:
            return error_page(request, error)
        except (web.HTTPException, *DATABASE_AWAY):
            raise  # the error middleware turns these into pages too
        except Exception:
            log.exception("unexpected error in %s %s", request.method, request.path)
            return error_page(
                request,
                ApiError(
                    "internal_error",
                    "Something went wrong on our side; it was logged. Nothing was lost.",
                    status=500,
                ),
            )

    handle.__name__ = route.handler.__name__
    return handle


async def _read_form(request: web.Request) -> MultiDictProxy:
    try:
        return await request.post()
    except (UnicodeDecodeError, ValueError, RequestPayloadError):
        request.content.feed_eof()  # whatever is left is unreadable too: nothing to drain
        # A browser sends UTF-8 forms it can encode; anything else is not one of our forms.
        raise BadRequest(
            "invalid_form", "This form's data could not be read (it is not UTF-8 text)."
        ) from None


async def _serve(
    route: WebRoute, limiter: RateLimit | None, request: web.Request, context: Context
) -> web.StreamResponse:
    session = await sessions.load(request, context)
    request[SESSION_LOADED] = True
    account = None
    if session is not None and session.account_id is not None:
        account = await store.account_by_id(context.db, session.account_id)
    request[ACCOUNT_KEY] = account
    form = None
    if request.method not in SAFE_METHODS:
        form = await _read_form(request)
        token = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
        if session is None or not session.csrf_matches(token if isinstance(token, str) else None):
            raise CsrfFailed()
    if route.access != "public" and account is None:
        if request.method in SAFE_METHODS:
            return finish(
                request, web.Response(status=303, headers={"Location": sign_in_location(request)})
            )
        raise Forbidden("sign_in_required", "Sign in first, then try again.")
    page = Page(request, context, account, form)
    if route.access == "admin" and not page.is_admin:
        raise Forbidden("admin_only", "Only an administrator can see this page.")
    if limiter is not None:
        limiter.check(request.remote or "?")
    if route.forms:
        await sessions.ensure(request, context)
    return await route.handler(page)
