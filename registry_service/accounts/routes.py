"""`/accounts` and `/tokens`."""

from __future__ import annotations

from typing import Literal

from aiohttp import web
from pydantic import BaseModel, EmailStr, Field

from registry_service.accounts import service
from registry_service.accounts.auth import basic_credentials
from registry_service.api.errors import Forbidden
from registry_service.api.ratelimit import RateLimit
from registry_service.api.routing import ApiCall, ApiRoutes

routes = ApiRoutes("accounts")


class NewAccount(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=1024)
    display_name: str = Field(min_length=1, max_length=100)
    handle: str | None = Field(default=None, max_length=32)


class NewToken(BaseModel):
    scope: Literal["extension", "full"]
    label: str = Field(default="", max_length=100)


@routes.route(
    "POST",
    "/accounts",
    auth="public",
    body=NewAccount,
    rate=RateLimit(20, 60),
    summary="Create an account (one account can fund and create).",
    responses={201: "created", 409: "email taken", 422: "weak password or bad handle"},
)
async def create_account(call: ApiCall) -> web.Response:
    body: NewAccount = call.body
    account = await service.create_account(
        call.context, body.email, body.password, body.display_name, body.handle
    )
    return web.json_response(
        {
            "id": str(account["_id"]),
            "email": account["email"],
            "display_name": account["display_name"],
            "handle": account["handle"],
        },
        status=201,
    )


@routes.route(
    "POST",
    "/tokens",
    auth="public",
    body=NewToken,
    summary="Issue a token with HTTP Basic email:password; the token is shown once.",
    responses={201: "created", 401: "bad credentials", 429: "too many attempts"},
)
async def create_token(call: ApiCall) -> web.Response:
    email, password = basic_credentials(call.request)
    account = await service.check_credentials(call.context, email, password)
    body: NewToken = call.body
    token, doc = await service.issue_token(call.context, account["_id"], body.scope, body.label)
    return web.json_response({"token": token, **service.public_token(doc)}, status=201)


@routes.route(
    "GET", "/tokens", auth="full", summary="List your active tokens (never their values)."
)
async def list_tokens(call: ApiCall) -> web.Response:
    docs = await service.list_tokens(call.context, call.principal.account_id)
    return web.json_response({"tokens": [service.public_token(d) for d in docs]})


@routes.route(
    "DELETE",
    "/tokens/{token_id}",
    auth="extension",
    summary="Revoke a token: any of yours with a full token, or the calling token itself.",
    responses={204: "revoked", 404: "no such token of yours"},
)
async def revoke_token(call: ApiCall) -> web.Response:
    token_id = call.request.match_info["token_id"]
    principal = call.principal
    if token_id == "current":
        token_id = str(principal.token_id)
    if principal.scope != "full" and token_id != str(principal.token_id):
        raise Forbidden("insufficient_scope", "An extension token can only revoke itself.")
    await service.revoke_token(call.context, principal.account_id, token_id)
    return web.Response(status=204)


def setup(app: web.Application) -> None:
    """Add routes now; background work goes in app.cleanup_ctx and reads app[CONTEXT]."""
    routes.add_to(app)
