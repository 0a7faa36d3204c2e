"""`/api/v1/resolve` and `/api/v1/keys` over HTTP, on the whole application."""

import hashlib

import pytest

from registry_service.app import create_app
from registry_service.resolve import routes
from tests.conftest import new_account
from tests.integration.resolve.helpers import account, own

FIELDS = {"url", "normalized", "key", "keys", "source", "pending", "claimed", "declined", "creator"}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    for limit in (routes.RESOLVE_LIMIT, routes.BATCH_LIMIT, routes.KEYS_LIMIT):
        limit._buckets.clear()


async def error_of(resp, status):
    assert resp.status == status, await resp.text()
    body = await resp.json()
    assert set(body) == {"error"} and body["error"]["message"]
    return body["error"]


async def test_get_resolve(api, context):
    resp = await api.get("/api/v1/resolve", params={"url": "https://github.com/Alice/repo#x"})
    assert resp.status == 200
    body = await resp.json()
    assert set(body) == FIELDS
    assert body["url"] == "https://github.com/Alice/repo#x"
    assert body["normalized"] == "https://github.com/Alice/repo"
    assert (body["key"], body["keys"], body["source"]) == (
        "github:alice",
        ["github:alice"],
        "platform",
    )
    assert (body["pending"], body["claimed"], body["creator"]) == (False, False, None)


async def test_get_resolve_of_a_claimed_key_names_the_creator(api, context):
    await own(context.db, "domain:example.org", await account(context.db, "ann", "Ann"))
    resp = await api.get("/api/v1/resolve", params={"url": "https://www.example.org/"})
    body = await resp.json()
    assert body["claimed"] and body["creator"] == {"handle": "ann", "display_name": "Ann"}
    assert body["pending"]  # never crawled: a crawl is queued, the answer does not wait
    assert await context.db.crawl_jobs.find_one({"_id": "https://www.example.org/"})


@pytest.mark.parametrize(
    ("params", "code", "words"),
    [
        ({"url": "ftp://example.org/"}, "invalid_url", "ftp: is not a web page"),
        ({"url": "http://192.168.1.1/"}, "invalid_url", "IP addresses cannot be flattred"),
        ({"url": "http://localhost:8080/"}, "invalid_url", "localhost"),
        ({"url": "https://example.zzzz/"}, "invalid_url", "not a known public suffix"),
        ({}, "invalid_query", "url"),
        ({"url": ""}, "invalid_query", "url"),
    ],
)
async def test_bad_input_is_400(api, params, code, words):
    error = await error_of(await api.get("/api/v1/resolve", params=params), 400)
    assert error["code"] == code and words in error["message"]


async def test_rate_limited_per_client_with_retry_after(aiohttp_client, settings, monkeypatch):
    monkeypatch.setattr(routes.RESOLVE_LIMIT, "rate", 3)
    monkeypatch.setattr(routes.RESOLVE_LIMIT, "burst", 3)
    api = await aiohttp_client(create_app(settings, run_crawler=False))  # built with the limit
    statuses = []
    for _ in range(5):
        resp = await api.get("/api/v1/resolve", params={"url": "https://example.org/"})
        statuses.append(resp.status)
        if resp.status == 429:
            error = await error_of(resp, 429)
            assert error["code"] == "rate_limited"
            assert int(resp.headers["Retry-After"]) >= 1
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]


async def test_post_batch_answers_in_order(api, context):
    urls = ["https://a.example.org/x", "javascript:alert(1)", "https://x.com/jack", "nonsense"]
    resp = await api.post("/api/v1/resolve", json={"urls": urls})
    assert resp.status == 200
    results = (await resp.json())["results"]
    assert [r["url"] for r in results] == urls
    assert results[0]["key"] == "domain:example.org" and set(results[0]) == FIELDS
    assert results[1] == {
        "url": "javascript:alert(1)",
        "error": {"code": "invalid_url", "message": results[1]["error"]["message"]},
    }
    assert "javascript: is not a web page" in results[1]["error"]["message"]
    assert results[2]["key"] == "twitter:jack"
    assert results[3]["error"]["code"] == "invalid_url"
    assert await context.db.crawl_jobs.count_documents({}) == 0  # batch: no crawl unless asked
    resp = await api.post("/api/v1/resolve", json={"urls": urls[:1], "crawl": True})
    assert (await resp.json())["results"][0]["pending"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"urls": [f"https://e{i}.example.org/" for i in range(101)]}, "invalid_body"),
        ({"urls": []}, "invalid_body"),
        ({"urls": "https://example.org/"}, "invalid_body"),
        ({"urls": [1, 2]}, "invalid_body"),
        ({}, "invalid_body"),
    ],
)
async def test_post_batch_limits(api, body, code):
    error = await error_of(await api.post("/api/v1/resolve", json=body), 400)
    assert error["code"] == code


async def test_post_batch_of_exactly_100(api):
    urls = [f"https://e{i}.example.org/" for i in range(100)]
    resp = await api.post("/api/v1/resolve", json={"urls": urls})
    assert resp.status == 200 and len((await resp.json())["results"]) == 100


async def test_post_batch_not_json(api):
    resp = await api.post("/api/v1/resolve", data=b"{nope", headers={"Content-Type": "text/plain"})
    assert (await error_of(resp, 400))["code"] == "invalid_json"


async def test_keys_by_prefix(api, context):
    someone = await account(context.db, "someone")
    keys = ["domain:example.org", "github:alice", "youtube:@bob"]
    for key in keys:
        await own(context.db, key, someone, declined=key == "github:alice")
    digest = hashlib.sha256(b"domain:example.org").hexdigest()
    resp = await api.get(f"/api/v1/keys/by-prefix/{digest[:4].upper()}")
    assert resp.status == 200
    body = await resp.json()
    assert body["prefix"] == digest[:4]
    assert body["keys"] == [
        k for k in keys if hashlib.sha256(k.encode()).hexdigest().startswith(digest[:4])
    ]
    declined = hashlib.sha256(b"github:alice").hexdigest()[:4]
    body = await (await api.get(f"/api/v1/keys/by-prefix/{declined}")).json()
    assert "github:alice" in body["keys"] and body["declined"] == ["github:alice"]
    unused = next(
        p
        for p in (f"{i:04x}" for i in range(65536))
        if not any(hashlib.sha256(k.encode()).hexdigest().startswith(p) for k in keys)
    )
    assert (await (await api.get(f"/api/v1/keys/by-prefix/{unused}")).json())["keys"] == []


@pytest.mark.parametrize("prefix", ["abc", "abcde", "wxyz", "12%2034"])
async def test_keys_by_prefix_needs_4_hex_digits(api, prefix):
    error = await error_of(await api.get(f"/api/v1/keys/by-prefix/{prefix}"), 400)
    assert error["code"] == "invalid_prefix"


async def test_key_status(api, context):
    await own(context.db, "github:alice", await account(context.db, "alice", "Alice"))
    body = await (await api.get("/api/v1/keys/GitHub:Alice")).json()
    assert body["key"] == "github:alice" and body["claimed"]
    assert body["creator"] == {"handle": "alice", "display_name": "Alice"}
    assert body["sha256"] == hashlib.sha256(b"github:alice").hexdigest()
    body = await (await api.get("/api/v1/keys/domain:nobody.example")).json()
    assert not body["claimed"] and body["creator"] is None
    error = await error_of(await api.get("/api/v1/keys/not a key"), 400)
    assert error["code"] == "invalid_key"


async def test_account_keys_resolve_to_their_account(api, context):
    alice = await new_account(api, display_name="Alice")
    handle = alice["handle"]
    body = await (await api.get(f"/api/v1/keys/omniflattr:{handle}")).json()
    assert body["claimed"] and body["creator"]["handle"] == handle


async def test_routes_are_in_the_openapi_document(api):
    doc = await (await api.get("/api/v1/openapi.json")).json()
    assert {"get", "post"} <= set(doc["paths"]["/api/v1/resolve"])
    assert "/api/v1/keys/by-prefix/{prefix}" in doc["paths"]
    assert "security" not in doc["paths"]["/api/v1/resolve"]["get"]
