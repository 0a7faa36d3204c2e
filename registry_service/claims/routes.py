"""`/api/v1/claims...`: thin HTTP over the claims services. Every route needs a full token;
a claim that is not yours answers 404 (administrators may read any claim's history)."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field, ValidationError

from registry_service.api.errors import BadRequest
from registry_service.api.routing import (
    ApiCall,
    ApiRoutes,
    describe_validation_error,
    read_json_body,
)
from registry_service.api.state import CONTEXT
from registry_service.claims import decline, delegations, history, rechecks, service, store
from registry_service.claims.keys import KeyRuleError, parse_claim_key
from registry_service.claims.views import claim_json

routes = ApiRoutes("claims")


class NewClaim(BaseModel):
    key: str = Field(min_length=3, max_length=300, description="e.g. domain:example.org")


class VerifyOptions(BaseModel):
    proof_url: str | None = Field(
        default=None, max_length=2000, description="a page holding the proof, e.g. a gist"
    )
    decline: bool = Field(
        default=False,
        description="once proved, decline donations: money waiting goes back to its funders "
        "instead of to you",
    )


class DeclineOptions(BaseModel):
    reason: str = Field(default="", max_length=500)


class NewDelegation(BaseModel):
    path_prefix: str = Field(min_length=1, max_length=1000)
    creator_id: str = Field(min_length=1, max_length=100, description="an account id or handle")
    host: str | None = Field(default=None, max_length=253, description="default: the domain")


class KeyQuery(BaseModel):
    key: str = Field(min_length=3, max_length=300)


async def _optional_body(call: ApiCall, model: type[BaseModel]) -> BaseModel:
    """Routes whose body may be left out entirely."""
    if not call.request.can_read_body:
        return model()
    data = await read_json_body(call.request)
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise BadRequest("invalid_body", describe_validation_error(exc, "body")) from None


async def _claim_response(call: ApiCall, claim: dict, status: int = 200, **extra) -> web.Response:
    handle = await service.account_handle(call.context, call.principal.account_id)
    body = {"claim": claim_json(call.context, claim, handle=handle), **extra}
    return web.json_response(body, status=status)


@routes.route(
    "POST",
    "/claims",
    auth="full",
    body=NewClaim,
    summary="Start claiming a key: the token and instructions for every method that fits it.",
    responses={201: "created", 200: "your open claim of this key", 422: "key cannot be claimed"},
)
async def create_claim(call: ApiCall) -> web.Response:
    claim, created = await service.create_claim(
        call.context, call.principal.account_id, call.body.key
    )
    return await _claim_response(call, claim, 201 if created else 200, created=created)


@routes.route("GET", "/claims", auth="full", summary="Your claims, with status and last check.")
async def list_claims(call: ApiCall) -> web.Response:
    claims = await store.claims_of(call.context.db, call.principal.account_id)
    handle = await service.account_handle(call.context, call.principal.account_id)
    return web.json_response(
        {"claims": [claim_json(call.context, c, handle=handle) for c in claims]}
    )


@routes.route(
    "GET", "/claims/{claim_id}", auth="full", summary="One of your claims, with its instructions."
)
async def get_claim(call: ApiCall) -> web.Response:
    claim = await service.own_claim(
        call.context, call.principal.account_id, call.request.match_info["claim_id"]
    )
    return await _claim_response(call, claim)


@routes.route(
    "DELETE",
    "/claims/{claim_id}",
    auth="full",
    summary="Withdraw a claim (a verified key becomes unclaimed).",
)
async def withdraw_claim(call: ApiCall) -> web.Response:
    claim = await service.withdraw(
        call.context, call.principal.account_id, call.request.match_info["claim_id"]
    )
    return await _claim_response(call, claim)


@routes.route(
    "POST",
    "/claims/{claim_id}/verify",
    auth="full",
    body=None,
    summary="Run the checks now; says what each method found. Optional body {proof_url, decline}.",
    responses={200: "checked", 409: "the key is verified by another account", 429: "slow down"},
)
async def verify_claim(call: ApiCall) -> web.Response:
    options = await _optional_body(call, VerifyOptions)
    outcome = await service.verify(
        call.context,
        call.principal.account_id,
        call.request.match_info["claim_id"],
        proof_url=options.proof_url,
        decline=options.decline,
    )
    return await _claim_response(
        call,
        outcome.claim,
        verified=outcome.claim["status"] == "verified" and outcome.result.ok,
        message=outcome.message,
        findings=[f.to_doc() for f in outcome.result.findings],
    )


@routes.route(
    "GET",
    "/claims/{claim_id}/history",
    auth="full",
    summary="Every state change of a claim with its time and evidence (yours, or any if admin).",
)
async def claim_history(call: ApiCall) -> web.Response:
    claim = await service.readable_claim(
        call.context, call.principal, call.request.match_info["claim_id"]
    )
    events = await store.events_of(call.context.db, claim["_id"])
    hide = None if claim["account_id"] == call.principal.account_id else claim["token"]
    return web.json_response(
        {
            "claim_id": str(claim["_id"]),
            "events": [history.event_json(e, hide_token=hide) for e in events],
        }
    )


@routes.route(
    "POST",
    "/claims/{claim_id}/decline",
    auth="full",
    summary="Decline donations for a verified key: its escrow is refunded, new flattrs refused.",
)
async def decline_donations(call: ApiCall) -> web.Response:
    options = await _optional_body(call, DeclineOptions)
    claim = await decline.decline(
        call.context, call.principal.account_id, call.request.match_info["claim_id"], options.reason
    )
    return await _claim_response(call, claim)


@routes.route(
    "DELETE",
    "/claims/{claim_id}/decline",
    auth="full",
    summary="Accept donations for the key again.",
)
async def undecline_donations(call: ApiCall) -> web.Response:
    claim = await decline.undecline(
        call.context, call.principal.account_id, call.request.match_info["claim_id"]
    )
    return await _claim_response(call, claim)


@routes.route(
    "POST",
    "/claims/{claim_id}/delegations",
    auth="full",
    body=NewDelegation,
    summary="Hand a path prefix of your verified domain to another creator.",
    responses={201: "created", 409: "already delegated", 422: "bad prefix or creator"},
)
async def add_delegation(call: ApiCall) -> web.Response:
    body: NewDelegation = call.body
    doc = await delegations.add_delegation(
        call.context,
        call.principal.account_id,
        call.request.match_info["claim_id"],
        body.path_prefix,
        body.creator_id,
        body.host,
    )
    return web.json_response({"delegation": delegations.delegation_json(doc)}, status=201)


@routes.route(
    "GET", "/claims/{claim_id}/delegations", auth="full", summary="The delegations of a claim."
)
async def list_delegations(call: ApiCall) -> web.Response:
    docs = await delegations.list_delegations(
        call.context, call.principal.account_id, call.request.match_info["claim_id"]
    )
    return web.json_response({"delegations": [delegations.delegation_json(d) for d in docs]})


@routes.route(
    "DELETE",
    "/claims/{claim_id}/delegations/{delegation_id}",
    auth="full",
    summary="Revoke a delegation.",
)
async def revoke_delegation(call: ApiCall) -> web.Response:
    doc = await delegations.revoke(
        call.context,
        call.principal.account_id,
        call.request.match_info["claim_id"],
        call.request.match_info["delegation_id"],
    )
    return web.json_response({"delegation": delegations.delegation_json(doc)})


@routes.route(
    "GET",
    "/claim-notices",
    auth="full",
    summary="What happened to your claims (a proof went missing, a claim lapsed).",
)
async def claim_notices(call: ApiCall) -> web.Response:
    docs = await store.notices_of(call.context.db, call.principal.account_id)
    return web.json_response({"notices": [history.notice_json(d) for d in docs]})


@routes.route(
    "GET",
    "/admin/claims",
    auth="admin",
    query=KeyQuery,
    summary="Every claim of a key, for administrators (never the tokens).",
)
async def admin_claims(call: ApiCall) -> web.Response:
    try:
        key = parse_claim_key(call.query.key).key
    except KeyRuleError:
        key = call.query.key.strip()
    claims = await store.claims_for_key(call.context.db, key)
    owner = await store.get_owner(call.context.db, key)
    return web.json_response(
        {
            "key": key,
            "owner_claim_id": str(owner["claim_id"]) if owner else None,
            "claims": [claim_json(call.context, c, owner_view=False) for c in claims],
        }
    )


def setup(app: web.Application) -> None:
    routes.add_to(app)
    app.cleanup_ctx.append(rechecks.background(CONTEXT))
