"""Token lookups are cached briefly for the hot flattr route; revocation still bites at once."""

from __future__ import annotations

from tests.conftest import new_account
from tests.integration.ledger.support import context_of


async def test_cached_token_is_refused_right_after_revocation(api):
    ext = await new_account(api, scope="extension")
    assert (await api.get("/api/v1/me", headers=ext["headers"])).status == 200
    assert (await api.get("/api/v1/me", headers=ext["headers"])).status == 200  # cached now
    resp = await api.delete("/api/v1/tokens/current", headers=ext["headers"])
    assert resp.status == 204
    resp = await api.get("/api/v1/me", headers=ext["headers"])
    assert resp.status == 401


async def test_cache_saves_the_database_trips(api):
    alice = await new_account(api)
    await api.get("/api/v1/me", headers=alice["headers"])
    db = context_of(api).db
    await db.tokens.delete_many({})  # only a cached lookup can still answer
    assert (await api.get("/api/v1/me", headers=alice["headers"])).status == 200
