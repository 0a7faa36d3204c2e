"""The monthly budget and what a month spends: T = min(max(B, n·m), C), pure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    monthly_cents: int
    min_per_flattr_cents: int | None = None
    max_monthly_cents: int | None = None

    def to_json(self) -> dict:
        return {
            "monthly_cents": self.monthly_cents,
            "min_per_flattr_cents": self.min_per_flattr_cents,
            "max_monthly_cents": self.max_monthly_cents,
        }

    @classmethod
    def from_doc(cls, doc: dict | None, default_cents: int) -> Budget:
        if not doc:
            return cls(default_cents)
        return cls(
            int(doc["monthly_cents"]),
            doc.get("min_per_flattr_cents"),
            doc.get("max_monthly_cents"),
        )


def budget_problem(budget: Budget, min_budget_cents: int) -> str | None:
    """Why this budget breaks a rule, or None."""
    if budget.monthly_cents < min_budget_cents:
        return (
            f"The monthly budget must be at least {min_budget_cents} cents "
            f"({min_budget_cents // 100}.{min_budget_cents % 100:02d}); "
            f"{budget.monthly_cents} is too little."
        )
    if budget.min_per_flattr_cents is not None and budget.min_per_flattr_cents < 0:
        return "The minimum per flattr cannot be negative."
    if budget.max_monthly_cents is not None and budget.max_monthly_cents < budget.monthly_cents:
        return (
            f"The monthly maximum ({budget.max_monthly_cents}) must be at least the monthly "
            f"budget ({budget.monthly_cents})."
        )
    return None


def target_spend(budget: Budget, weight_sum: int) -> int:
    """T for a month whose flattrs weigh `weight_sum` in all (0 when nothing was flattred)."""
    if weight_sum <= 0:
        return 0
    spend = budget.monthly_cents
    if budget.min_per_flattr_cents:
        spend = max(spend, weight_sum * budget.min_per_flattr_cents)
    if budget.max_monthly_cents is not None:
        spend = min(spend, budget.max_monthly_cents)
    return spend


def month_spend(budget: Budget, weight_sum: int, balance_cents: int) -> int:
    """What the month really spends: T, or the whole balance when it is below T."""
    return max(0, min(target_spend(budget, weight_sum), balance_cents))
