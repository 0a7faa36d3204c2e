"""Request models of the ledger's routes: integer cents only (floats are refused)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from registry_service.ledger.money import MAX_CENTS

Cents = Annotated[int, Field(strict=True, ge=0, le=MAX_CENTS)]
PositiveCents = Annotated[int, Field(strict=True, ge=1, le=MAX_CENTS)]
Weight = Annotated[int, Field(strict=True, ge=1, le=5)]
Url = Annotated[str, Field(min_length=1, max_length=4096)]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuoteQuery(BaseModel):
    amount_cents: Annotated[int, Field(ge=1, le=MAX_CENTS)]  # a query string is text
    method: str


class FundingBody(Strict):
    amount_cents: PositiveCents
    method: str = Field(max_length=40)


class BudgetBody(Strict):
    monthly_cents: Cents
    min_per_flattr_cents: Cents | None = None
    max_monthly_cents: Cents | None = None


class FlattrBody(Strict):
    url: Url
    weight: Weight = 1
    hints: Any = None


class WeightBody(Strict):
    weight: Weight


class MonthFlattrsQuery(BaseModel):
    month: Month | None = None
    url: Url | None = None


class SubscriptionBody(Strict):
    url: Url
    months: Literal[3, 6, 12]
    weight: Weight = 1


class GiftBody(Strict):
    url: Url | None = None
    key: Annotated[str, Field(min_length=3, max_length=340)] | None = None
    amount_cents: PositiveCents


class PayoutBody(Strict):
    amount_cents: PositiveCents


class EscrowQuery(BaseModel):
    key: Annotated[str, Field(min_length=3, max_length=340)]


class EscrowKeysQuery(BaseModel):
    after: Annotated[str, Field(max_length=340)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class StatementQuery(BaseModel):
    as_: Literal["funder", "creator"] = Field("funder", alias="as")


class BadgeQuery(BaseModel):
    url: Url


class SettlementBody(Strict):
    month: Month


class NgoBody(Strict):
    ngo: bool
