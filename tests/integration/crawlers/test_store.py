"""Storing crawled signals in batches: new pages inserted, known ones updated, races handled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawlers import store

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def signals_doc(creators: list[str], at: datetime) -> dict:
    return {
        "final_url": "https://a.example.org/p",
        "fetched_at": at,
        "status": 200,
        "creators": creators,
        "platform_key": None,
        "identities": [],
        "hints": {},
        "also_accepts": [],
        "etag": None,
        "last_modified": None,
        "truncated": False,
    }


async def test_a_batch_of_new_known_and_meanwhile_stored_pages(crawl_context):
    db = crawl_context.db
    known = "https://a.example.org/known"
    await store.save_many_signals(db, [(known, signals_doc(["omniflattr:a"], T0), None)])
    previous = await store.get_signals(db, known)
    assert previous["changed_at"] == T0
    # Another worker recorded a failure for this page after we looked: our insert fails on
    # its _id, and the page is upserted instead (the error goes, the signals are ours).
    raced = "https://a.example.org/raced"
    assert await store.record_failure(db, raced, "timeout", "slow", T0)
    new = "https://a.example.org/new"
    later = T0 + timedelta(days=1)
    changes = await store.save_many_signals(
        db,
        [
            (new, signals_doc(["omniflattr:n"], later), None),
            (raced, signals_doc(["omniflattr:r"], later), None),
            (known, signals_doc(["omniflattr:a"], later), previous),
        ],
    )
    assert changes == [True, True, False]
    docs = {doc["_id"]: doc async for doc in db.page_signals.find()}
    assert docs[new]["creators"] == ["omniflattr:n"] and docs[new]["changed_at"] == later
    assert docs[raced]["creators"] == ["omniflattr:r"] and "error" not in docs[raced]
    assert docs[raced]["changed_at"] == later
    # Unchanged signals: the time moves, changed_at stays.
    assert docs[known]["fetched_at"] == later and docs[known]["changed_at"] == T0


async def test_a_changed_known_page_moves_changed_at(crawl_context):
    db = crawl_context.db
    url = "https://a.example.org/p"
    await store.save_many_signals(db, [(url, signals_doc(["omniflattr:a"], T0), None)])
    previous = await store.get_signals(db, url)
    later = T0 + timedelta(hours=3)
    assert await store.save_signals(db, url, signals_doc(["omniflattr:b"], later), previous)
    stored = await store.get_signals(db, url)
    assert stored["creators"] == ["omniflattr:b"] and stored["changed_at"] == later
