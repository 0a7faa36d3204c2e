"""Journal movements shaped for people: the figures always add up to the ledger's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from registry_service.ledger import accounts as acct
from registry_service.ledger.plan import KeyState, key_postings
from registry_service.web.money_views import (
    creator_income,
    escrow_lots,
    funder_months,
    where_money_went,
)

FUNDER = "f" * 24
CREATOR = "c" * 24
OTHER = "d" * 24


def settle(month: str, shares: dict[str, int], states: dict[str, KeyState]) -> dict:
    postings = []
    for key, cents in shares.items():
        postings += key_postings(key, cents, states.get(key, KeyState()), 1000)
    total = sum(p["cents"] for p in postings)
    return {
        "_id": f"settle:{FUNDER}:{month}",
        "kind": "settle",
        "month": month,
        "postings": [{"account": acct.funder_account(FUNDER), "cents": -total}, *postings],
    }


def test_where_money_went_groups_by_key_and_destination():
    states = {"domain:a.org": KeyState(owner_id=CREATOR), "github:b": KeyState()}
    txn = settle("2026-11", {"domain:a.org": 150, "github:b": 75}, states)
    gift = {
        "kind": "gift",
        "month": "2026-11",
        "postings": [
            {"account": acct.funder_account(FUNDER), "cents": -100},
            {
                "account": acct.escrow_account("github:b"),
                "cents": 100,
                "key": "github:b",
                "lot": True,
            },
        ],
    }
    found = where_money_went([txn, gift], FUNDER)
    assert [(d.key, d.to, d.cents) for d in found] == [
        ("github:b", "escrow", 175),
        ("domain:a.org", "creator", 150),  # 135 to the creator + 15 commission
    ]


def test_someone_elses_movements_are_not_counted():
    states = {"domain:a.org": KeyState(owner_id=CREATOR)}
    theirs = settle("2026-11", {"domain:a.org": 500}, states)
    theirs["postings"][0]["account"] = acct.funder_account(OTHER)
    assert where_money_went([theirs], FUNDER) == []
    assert funder_months([theirs], FUNDER) == []


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["domain:a.org", "github:b", "mastodon:c@x.social"]),
            st.integers(min_value=1, max_value=10**7),
            st.booleans(),
            st.booleans(),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda item: item[0],
    )
)
def test_destinations_add_up_to_what_the_funder_spent(items):
    states = {
        key: KeyState(owner_id=CREATOR if claimed else None, ngo=ngo)
        for key, _, claimed, ngo in items
    }
    txn = settle("2026-11", {key: cents for key, cents, _, _ in items}, states)
    spent = -txn["postings"][0]["cents"]
    assert sum(d.cents for d in where_money_went([txn], FUNDER)) == spent
    month = funder_months([txn], FUNDER)[0]
    assert month.flattrs_cents == spent and month.given_cents == spent
    income = creator_income([txn], CREATOR)
    paid = sum(cents for key, cents, claimed, _ in items if claimed)
    assert sum(row.gross_cents for row in income) == paid
    assert all(row.gross_cents == row.net_cents + row.commission_cents for row in income)


def test_funder_months_sort_kinds():
    account = acct.funder_account(FUNDER)
    txns = [
        {"kind": "fund", "month": "2026-10", "postings": [{"account": account, "cents": 970}]},
        {"kind": "gift", "month": "2026-11", "postings": [{"account": account, "cents": -100}]},
        {"kind": "expire", "month": "2026-11", "postings": [{"account": account, "cents": 40}]},
        settle("2026-11", {"github:b": 300}, {}),
    ]
    rows = funder_months(txns, FUNDER)
    assert [
        (r.month, r.flattrs_cents, r.gifts_cents, r.returned_cents, r.topped_up_cents) for r in rows
    ] == [
        ("2026-10", 0, 0, 0, 970),
        ("2026-11", 300, 100, 40, 0),
    ]


def test_creator_income_with_payouts_and_a_failed_one():
    mine = acct.creator_account(CREATOR)
    txns = [
        {
            "kind": "release",
            "month": "2026-12",
            "postings": [
                {
                    "account": acct.escrow_account("domain:a.org"),
                    "cents": -200,
                    "key": "domain:a.org",
                },
                {"account": mine, "cents": 180, "key": "domain:a.org"},
                {"account": acct.COMMISSION, "cents": 20, "key": "domain:a.org"},
            ],
        },
        {"kind": "payout", "month": "2026-12", "postings": [{"account": mine, "cents": -100}]},
        {"kind": "payout", "month": "2026-12", "postings": [{"account": mine, "cents": -50}]},
        {"kind": "payout_failed", "month": "2026-12", "postings": [{"account": mine, "cents": 50}]},
    ]
    (row,) = creator_income(txns, CREATOR)
    assert (row.gross_cents, row.commission_cents, row.net_cents, row.paid_out_cents) == (
        200,
        20,
        180,
        100,
    )


def test_escrow_shows_where_it_went_since():
    txn = settle("2026-11", {"github:b": 75, "github:c": 25}, {})
    lots = escrow_lots([txn])
    assert lots == {
        acct.escrow_account("github:b"): [f"{txn['_id']}|github:b"],
        acct.escrow_account("github:c"): [f"{txn['_id']}|github:c"],
    }
    exits = {f"{txn['_id']}|github:b": "release", f"{txn['_id']}|github:c": "expire"}
    found = {(d.key, d.to): d.cents for d in where_money_went([txn], FUNDER, exits)}
    assert found == {("github:b", "released"): 75, ("github:c", "returned"): 25}
