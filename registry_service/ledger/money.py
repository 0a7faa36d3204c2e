"""Money rules as pure functions over integer cents (no float anywhere)."""

from __future__ import annotations

from collections.abc import Mapping

from registry_service.config import FeeRule

BASIS_POINTS = 10_000
MAX_CENTS = 10**12  # ten billion euros: far above any real amount, far below int64


def percent_of(amount_cents: int, basis_points: int) -> int:
    """`amount × bp / 10000` rounded half up to the cent (amounts are never negative)."""
    if amount_cents < 0 or basis_points < 0:
        raise ValueError("amounts and rates are never negative")
    return (amount_cents * basis_points * 2 + BASIS_POINTS) // (2 * BASIS_POINTS)


def funding_fee(amount_cents: int, rule: FeeRule) -> int:
    """The payment method's fee: fixed part plus the percentage, rounded half up."""
    return rule.fixed_cents + percent_of(amount_cents, rule.percent_bp)


def commission(amount_cents: int, commission_bp: int, *, ngo: bool) -> int:
    """The platform's cut of a creator's income: 0 for NGOs and non-profits."""
    return 0 if ngo else percent_of(amount_cents, commission_bp)


def quote(amount_cents: int, method: str, fees: Mapping[str, FeeRule]) -> dict:
    """What a top-up costs and credits, with a comparison showing large top-ups waste less."""
    rule = fees[method]
    fee = funding_fee(amount_cents, rule)
    bigger = amount_cents * 5
    bigger_fee = funding_fee(bigger, rule)
    return {
        "method": method,
        "amount_cents": amount_cents,
        "fee_cents": fee,
        "credited_cents": amount_cents - fee,
        "fixed_fee_cents": rule.fixed_cents,
        "percent_fee_bp": rule.percent_bp,
        "note": (
            f"The fixed part of the fee ({rule.fixed_cents} ct) is paid on every top-up, "
            f"so larger top-ups waste less: topping up {bigger} ct at once costs "
            f"{bigger_fee} ct in fees instead of {fee * 5} ct in five top-ups."
        ),
    }
