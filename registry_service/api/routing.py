"""Declared API routes: each names its auth level and its input models.

Every route must say who may call it (`auth=`), so none can forget
authorization; the same declarations produce `/api/v1/openapi.json`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from aiohttp import web
from aiohttp.web_protocol import RequestPayloadError
from pydantic import BaseModel, ValidationError

from registry_service.api.boundary import add_route
from registry_service.api.errors import BadRequest, Forbidden, Unauthorized
from registry_service.api.ratelimit import RateLimit

API_PREFIX = "/api/v1"

Auth = Literal["public", "optional", "extension", "full", "admin"]


@dataclass(slots=True)
class ApiCall:
    """One request, already authenticated and validated."""

    request: web.Request
    context: Any  # registry_service.context.Context
    principal: Any  # registry_service.accounts.auth.Principal | None
    body: Any = None
    query: Any = None

    def require_principal(self):
        if self.principal is None:
            raise Unauthorized()
        return self.principal


Handler = Callable[[ApiCall], Awaitable[web.StreamResponse]]


@dataclass
class RouteSpec:
    method: str
    path: str
    handler: Handler
    auth: Auth
    summary: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    rate: RateLimit | None
    responses: dict[int, str]
    tags: tuple[str, ...]


def describe_validation_error(exc: ValidationError, where: str) -> str:
    """A short, human sentence out of pydantic's errors."""
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__")
        msg = err.get("msg", "is invalid")
        msg = msg.removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return f"Invalid {where}: " + "; ".join(parts)


async def read_body(request: web.Request) -> bytes:
    """The request's body, or a 400 when it cannot be decoded (a broken Content-Encoding)."""
    try:
        return await request.read()
    except RequestPayloadError:
        request.content.feed_eof()  # the rest is unreadable too: aiohttp need not drain it
        raise BadRequest(
            "invalid_body",
            "The request body could not be read: its Content-Encoding "
            f"({request.headers.get('Content-Encoding', 'none')}) does not match its bytes.",
        ) from None


async def read_json_body(request: web.Request) -> Any:
    if not request.can_read_body:
        raise BadRequest("invalid_json", "This route needs a JSON body.")
    raw = await read_body(request)
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("invalid_json", "The body is not valid JSON.") from None


class ApiRoutes:
    """A domain's API routes; `add_to(app)` registers them under /api/v1."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.specs: list[RouteSpec] = []

    def route(
        self,
        method: str,
        path: str,
        *,
        auth: Auth,
        summary: str,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        rate: RateLimit | None = None,
        responses: dict[int, str] | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.specs.append(
                RouteSpec(
                    method.upper(),
                    path,
                    handler,
                    auth,
                    summary,
                    body,
                    query,
                    rate,
                    responses or {},
                    (self.tag,),
                )
            )
            return handler

        return register

    def add_to(self, app: web.Application) -> None:
        from registry_service.api.state import ROUTE_SPECS

        for declared in self.specs:
            # Each application counts its own clients (tests build many apps in one process).
            spec = replace(declared, rate=declared.rate.fresh() if declared.rate else None)
            add_route(app, spec.method, API_PREFIX + spec.path, _wrap(spec))
            app[ROUTE_SPECS].append(spec)


def _wrap(spec: RouteSpec) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The aiohttp handler of a declared route: authorize, limit, validate, then call.

    Everything a request does not need is decided here, once: a public route never looks
    at tokens, and a query model is validated straight from the request's query (a mapping:
    the first value of each name) without copying it into a dict.
    """
    from registry_service.accounts.auth import authenticate
    from registry_service.api.state import CONTEXT

    auth, rate, handler, query, body = spec.auth, spec.rate, spec.handler, spec.query, spec.body

    async def principal_of(request: web.Request, context: Any) -> Any:
        principal = await authenticate(request, context)
        if principal is None:
            if auth != "optional":
                raise Unauthorized()
        elif auth == "full" and principal.scope != "full":
            raise Forbidden(
                "insufficient_scope",
                "This needs a token with the 'full' scope; an extension token cannot.",
            )
        elif auth == "admin" and not principal.is_admin:
            raise Forbidden("admin_only", "Only an administrator can do this.")
        return principal

    async def handle(request: web.Request) -> web.StreamResponse:
        context = request.app[CONTEXT]
        principal = None if auth == "public" else await principal_of(request, context)
        if rate is not None:
            rate.check(principal.account_id if principal else request.remote or "?")
        call = ApiCall(request, context, principal)
        if query is not None:
            try:
                call.query = query.model_validate(request.query)
            except ValidationError as exc:
                raise BadRequest("invalid_query", describe_validation_error(exc, "query")) from None
        if body is not None:
            data = await read_json_body(request)
            try:
                call.body = body.model_validate(data)
            except ValidationError as exc:
                raise BadRequest("invalid_body", describe_validation_error(exc, "body")) from None
        return await handler(call)

    handle.__name__ = handler.__name__
    return handle
