"""The service's clock: UTC, fixed by OMNIFLATTR_NOW in dev and test."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    def __init__(self, fixed: datetime | None = None) -> None:
        self.fixed = fixed

    def now(self) -> datetime:
        return self.fixed if self.fixed is not None else datetime.now(UTC)

    def month(self) -> str:
        """The current month as YYYY-MM (UTC): the month a flattr made now belongs to."""
        return self.now().strftime("%Y-%m")
