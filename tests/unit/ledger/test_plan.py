from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from registry_service.ledger import accounts as acct
from registry_service.ledger.budget import Budget, month_spend
from registry_service.ledger.plan import (
    FlattrItem,
    KeyState,
    LotInfo,
    lot_fields,
    lot_id,
    plan_month,
    posting_totals,
)

LOT = LotInfo(datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 5, 1, tzinfo=UTC))
KEYS = [f"domain:k{i}.org" for i in range(8)]


def plan(**kw):
    defaults = dict(
        txn_id="settle:f:2026-10", funder_id="f", month="2026-10", commission_bp=1000, lot=LOT
    )
    return plan_month(**(defaults | kw))


def test_seed_example_claimed_ngo_and_escrow():
    flattrs = [FlattrItem(f"f{i}", f"t{i:02d}", 1, (f"domain:s{i}",)) for i in range(20)]
    states = {"domain:s0": KeyState("carol"), "domain:s1": KeyState("ngo", ngo=True)}
    result = plan(budget=Budget(200), balance_cents=9770, flattrs=flattrs, states=states)
    by_account = {}
    for p in result.postings:
        by_account[p["account"]] = by_account.get(p["account"], 0) + p["cents"]
    assert by_account[acct.funder_account("f")] == -200
    assert by_account[acct.creator_account("carol")] == 9
    assert by_account[acct.COMMISSION] == 1
    assert by_account[acct.creator_account("ngo")] == 10
    assert by_account[acct.escrow_account("domain:s5")] == 10
    escrowed = next(p for p in result.postings if p["account"].endswith("s5"))
    assert escrowed["lot"] is True and escrowed["key"] == "domain:s5"
    assert lot_fields(result.postings, LOT) == {
        "lot_since": LOT.since,
        "lot_expires_at": LOT.expires_at,
    }
    assert lot_id("settle:f:2026-10", "domain:s5") == "settle:f:2026-10|domain:s5"


def test_declined_keys_are_skipped_and_coauthors_share():
    flattrs = [
        FlattrItem("a", "t1", 2, ("domain:x", "domain:y")),
        FlattrItem("b", "t2", 1, ("domain:no",)),
    ]
    states = {"domain:no": KeyState("z", declined=True)}
    result = plan(budget=Budget(101), balance_cents=1000, flattrs=flattrs, states=states)
    assert result.spend == 101
    assert {f["id"]: f["cents"] for f in result.flattrs} == {"a": 101, "b": 0}
    escrow = {p["key"]: p["cents"] for p in result.postings if "lot" in p}
    assert escrow == {"domain:x": 51, "domain:y": 50}


def test_nothing_payable_spends_nothing_or_goes_to_charity():
    flattrs = [FlattrItem("b", "t2", 1, ("domain:no",))]
    states = {"domain:no": KeyState("z", declined=True)}
    kept = plan(budget=Budget(200), balance_cents=1000, flattrs=flattrs, states=states)
    assert kept.postings == [] and kept.spend == 0
    given_away = plan(
        budget=Budget(200), balance_cents=150, flattrs=[], states={}, unspent_to_charity=True
    )
    assert given_away.postings == [
        {"account": acct.funder_account("f"), "cents": -150},
        {"account": acct.CHARITY, "cents": 150},
    ]


key_states = st.sampled_from(
    [KeyState(), KeyState("c1"), KeyState("c2", ngo=True), KeyState("c3", declined=True)]
)


@given(
    monthly=st.integers(200, 50_000),
    minimum=st.none() | st.integers(0, 50),
    extra=st.none() | st.integers(0, 50_000),
    balance=st.integers(0, 100_000),
    items=st.lists(
        st.tuples(st.integers(1, 5), st.lists(st.sampled_from(KEYS), min_size=0, max_size=3)),
        max_size=40,
    ),
    states=st.fixed_dictionaries({k: key_states for k in KEYS}),
    commission_bp=st.integers(0, 3000),
    charity=st.booleans(),
)
def test_every_cent_is_accounted_for(
    monthly, minimum, extra, balance, items, states, commission_bp, charity
):
    budget = Budget(monthly, minimum, None if extra is None else monthly + extra)
    flattrs = [
        FlattrItem(f"f{i}", f"t{i:03d}", w, tuple(keys)) for i, (w, keys) in enumerate(items)
    ]
    result = plan(
        budget=budget,
        balance_cents=balance,
        flattrs=flattrs,
        states=states,
        commission_bp=commission_bp,
        unspent_to_charity=charity,
    )
    # The movement balances, in integer cents, with no negative credit.
    assert sum(p["cents"] for p in result.postings) == 0
    assert all(type(p["cents"]) is int for p in result.postings)
    debits = [p for p in result.postings if p["cents"] < 0]
    assert debits == (
        [] if result.spend == 0 else [{"account": "funder:f", "cents": -result.spend}]
    )
    # The spend follows the rule, over the flattrs that can be paid.
    payable = [f for f in flattrs if any(not states[k].declined for k in f.keys)]
    weight = sum(f.weight for f in payable)
    if payable:
        assert result.spend == month_spend(budget, weight, balance)
    else:
        assert result.spend == (min(monthly, balance) if charity else 0)
    # Flattrs' cents add up to the spend; declined keys get nothing; shares follow weights.
    paid = {f["id"]: f["cents"] for f in result.flattrs}
    if payable:
        assert sum(paid.values()) == result.spend
        for f in payable:
            exact = result.spend * f.weight // weight
            assert exact <= paid[f.id] <= exact + 1
    for p in result.postings:
        key = p.get("key")
        if key:
            assert not states[key].declined
            if "lot" in p:
                assert not states[key].claimed
            elif p["account"] != acct.COMMISSION:
                assert p["account"] == acct.creator_account(states[key].owner_id)
        if p["account"] == acct.COMMISSION:
            assert not states[p["key"]].ngo
    # The stored totals (a month's summary sums them) say where the spend went.
    totals = posting_totals(result.postings)
    assert sum(totals.values()) == result.spend
    assert totals["commission"] == sum(
        p["cents"] for p in result.postings if p["account"] == acct.COMMISSION
    )
    assert totals["escrow"] == sum(p["cents"] for p in result.postings if "lot" in p)
    # The same input gives the same postings (a re-run settles identically).
    again = plan(
        budget=budget,
        balance_cents=balance,
        flattrs=flattrs,
        states=states,
        commission_bp=commission_bp,
        unspent_to_charity=charity,
    )
    assert again.postings == result.postings and again.flattrs == result.flattrs
