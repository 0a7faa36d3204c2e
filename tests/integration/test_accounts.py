import aiohttp

from tests.conftest import new_account


async def test_create_account_and_token(api):
    alice = await new_account(api, email="alice@example.org")
    assert alice["handle"] == "alice"
    resp = await api.get("/api/v1/tokens", headers=alice["headers"])
    assert resp.status == 200
    tokens = (await resp.json())["tokens"]
    assert len(tokens) == 1 and "token" not in tokens[0] and "hash" not in tokens[0]


async def test_token_is_stored_hashed(api, context):
    alice = await new_account(api)
    stored = await context.db.tokens.find_one({})
    assert alice["token"] not in str(stored)


async def test_duplicate_email_is_409(api):
    await new_account(api, email="dup@example.org")
    resp = await api.post(
        "/api/v1/accounts",
        json={"email": "DUP@example.org", "password": "another long one", "display_name": "B"},
    )
    assert resp.status == 409
    assert (await resp.json())["error"]["code"] == "email_taken"


async def test_bad_input_is_a_clear_4xx(api):
    resp = await api.post("/api/v1/accounts", data=b"{not json")
    assert resp.status == 400
    assert (await resp.json())["error"]["code"] == "invalid_json"
    resp = await api.post(
        "/api/v1/accounts",
        json={"email": "x@example.org", "password": "short", "display_name": "X"},
    )
    assert resp.status == 422
    assert "10 characters" in (await resp.json())["error"]["message"]
    resp = await api.post("/api/v1/accounts", json=["not", "an", "object"])
    assert resp.status == 400


async def test_wrong_password_and_bad_tokens_are_401(api):
    await new_account(api, email="bob@example.org")
    resp = await api.post(
        "/api/v1/tokens",
        json={"scope": "full"},
        headers={"Authorization": aiohttp.encode_basic_auth("bob@example.org", "wrong password")},
    )
    assert resp.status == 401
    resp = await api.get("/api/v1/tokens", headers={"Authorization": "Bearer nope"})
    assert resp.status == 401
    assert (await resp.json())["error"]["code"] == "invalid_token"


async def test_extension_token_scope_and_revocation(api):
    ext = await new_account(api, scope="extension")
    resp = await api.get("/api/v1/tokens", headers=ext["headers"])
    assert resp.status == 403
    resp = await api.delete("/api/v1/tokens/current", headers=ext["headers"])
    assert resp.status == 204
    resp = await api.delete("/api/v1/tokens/current", headers=ext["headers"])
    assert resp.status == 401


async def test_unknown_route_and_method_are_json(api):
    resp = await api.get("/api/v1/nothing-here")
    assert resp.status == 404
    assert (await resp.json())["error"]["code"] == "not_found"
    resp = await api.put("/api/v1/accounts")
    assert resp.status == 405


async def test_openapi_lists_every_api_route(api):
    doc = await (await api.get("/api/v1/openapi.json")).json()
    for route in api.app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if (
            path.startswith("/api/v1/")
            and path != "/api/v1/openapi.json"
            and route.method != "HEAD"
        ):
            assert route.method.lower() in doc["paths"].get(path, {}), (route.method, path)


async def test_health_ready_metrics(api):
    assert (await api.get("/healthz")).status == 200
    assert (await api.get("/readyz")).status == 200
    text = await (await api.get("/metrics")).text()
    assert "omniflattr_http_requests_total" in text
