"""The budget explained with the person's own month, computed by the ledger's rules.

`example` runs the ledger's projection (`ledger.projection.project`, which applies
T = min(max(B, n·m), C), the balance and the largest-remainder split) over the
funder's real flattrs of this month, or over a sample month when there are none yet;
`sentences` says what that means in the person's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from registry_service.ledger.budget import Budget, target_spend
from registry_service.ledger.projection import project
from registry_service.web.i18n import Translator

SAMPLE_FLATTRS = 20


@dataclass(frozen=True)
class Example:
    flattrs: int
    weights: int
    sample: bool  # no flattr yet this month: a month of SAMPLE_FLATTRS is shown instead
    budget: Budget
    target_cents: int  # T before the balance is considered
    spend_cents: int  # what the month spends (T, or the balance when below)
    least_share_cents: int  # the smallest share of a weight-1 flattr
    most_share_cents: int  # the largest share of a weight-1 flattr
    balance_cents: int

    @property
    def raised_by_minimum(self) -> bool:
        m = self.budget.min_per_flattr_cents or 0
        return self.weights * m > self.budget.monthly_cents and self.target_cents > (
            self.budget.monthly_cents
        )

    @property
    def capped(self) -> bool:
        cap = self.budget.max_monthly_cents
        m = self.budget.min_per_flattr_cents or 0
        return cap is not None and max(self.budget.monthly_cents, self.weights * m) > cap

    @property
    def short_of_balance(self) -> bool:
        return self.spend_cents < self.target_cents


def example(budget: Budget, balance_cents: int, month_flattrs: Sequence[dict]) -> Example:
    """`month_flattrs`: the month's flattrs (dicts with thing_id and weight)."""
    sample = not month_flattrs
    flattrs = (
        [{"thing_id": f"sample-{i:03d}", "weight": 1} for i in range(SAMPLE_FLATTRS)]
        if sample
        else [{"thing_id": f["thing_id"], "weight": int(f["weight"])} for f in month_flattrs]
    )
    # Which thing ids get the extra cents is the split's business; a weight-1 flattr of
    # this month gets the whole share or one cent more.
    projected = project(budget, balance_cents, [{**f, "id": str(i)} for i, f in enumerate(flattrs)])
    ones = [projected.shares[str(i)] for i, f in enumerate(flattrs) if f["weight"] == 1]
    per = projected.per_flattr_cents
    return Example(
        flattrs=len(flattrs),
        weights=projected.weight_sum,
        sample=sample,
        budget=budget,
        target_cents=target_spend(budget, projected.weight_sum),
        spend_cents=projected.spend_cents,
        least_share_cents=min(ones, default=per),
        most_share_cents=max(ones, default=per),
        balance_cents=balance_cents,
    )


def _share(t: Translator, money: Callable[[int], str], ex: Example) -> str:
    if ex.least_share_cents == ex.most_share_cents:
        return money(ex.least_share_cents)
    return t(
        "budget.example.share_range",
        low=money(ex.least_share_cents),
        high=money(ex.most_share_cents),
    )


def sentences(t: Translator, money: Callable[[int], str], ex: Example) -> list[str]:
    """The example in words, one sentence per fact."""
    share = _share(t, money, ex)
    out: list[str] = []
    if ex.sample:
        out.append(t("budget.example.none_yet"))
        out.append(
            t.plural("budget.example.sample", ex.flattrs, share=share, spend=money(ex.spend_cents))
        )
    elif ex.weights == ex.flattrs:
        out.append(
            t.plural("budget.example.month", ex.flattrs, share=share, spend=money(ex.spend_cents))
        )
    else:
        out.append(
            t.plural(
                "budget.example.month_weighted",
                ex.flattrs,
                weights=ex.weights,
                share=share,
                spend=money(ex.spend_cents),
            )
        )
    if ex.raised_by_minimum and not ex.capped:
        out.append(
            t(
                "budget.example.raised",
                min=money(ex.budget.min_per_flattr_cents or 0),
                budget=money(ex.budget.monthly_cents),
                target=money(ex.target_cents),
            )
        )
    if ex.capped:
        out.append(t("budget.example.capped", cap=money(ex.budget.max_monthly_cents or 0)))
    if ex.short_of_balance:
        out.append(
            t(
                "budget.example.balance",
                balance=money(ex.balance_cents),
                target=money(ex.target_cents),
            )
        )
    out.append(t("budget.example.nothing_spent"))
    return out
