"""Ledger tests run on a fixed clock (mid-October 2026) with one administrator email."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import make_settings

ADMIN_EMAIL = "admin@example.org"
OCTOBER = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def settings(mongo_uri, db_name, tmp_path):
    return make_settings(
        mongodb_uri=mongo_uri,
        db_name=db_name,
        data_dir=tmp_path / "var",
        now=OCTOBER,
        admin_emails=frozenset({ADMIN_EMAIL}),
    )


# Collections the ledger tests touch that have no index (so ensure_indexes does not make them).
EXTRA_COLLECTIONS = (
    "settlements",
    "extension_hints",
    "key_owners",
    "page_signals",
    "crawl_jobs",
    "change_versions",
)


async def prepare_database(settings) -> None:
    """Create every collection and index before the app serves a request.

    SecantusDB 0.7.0b3 can deadlock when a collection is created by createIndexes while
    another connection inserts into a new collection: the application creates its indexes
    in the background, so the tests create them first.
    """
    from registry_service.store.database import open_client
    from registry_service.store.schema import ensure_indexes

    client = open_client(settings.mongodb_uri)
    try:
        db = client[settings.db_name]
        await ensure_indexes(db)
        existing = set(await db.list_collection_names())
        for name in EXTRA_COLLECTIONS:
            if name not in existing:
                await db.create_collection(name)
    finally:
        await client.close()


@pytest.fixture
async def api(aiohttp_client, settings):
    from registry_service.app import create_app

    await prepare_database(settings)
    return await aiohttp_client(fresh_limits(create_app(settings, run_crawler=False)))


def fresh_limits(app):
    """In-process rate limits are module-level: start each test with full buckets."""
    from registry_service.api.state import ROUTE_SPECS

    for spec in app[ROUTE_SPECS]:
        if spec.rate is not None:
            spec.rate._buckets.clear()
    return app
