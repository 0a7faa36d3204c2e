"""Calendar months as `YYYY-MM` strings (UTC): parsing and arithmetic, pure."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from registry_service.api.errors import BadRequest

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str) -> tuple[int, int]:
    """`2026-11` -> (2026, 11); 400 `invalid_month` otherwise."""
    match = MONTH_RE.match(text or "")
    if not match:
        raise BadRequest("invalid_month", f"{text!r} is not a month like 2026-11 (YYYY-MM).")
    return int(match.group(1)), int(match.group(2))


def is_month(text: str) -> bool:
    return bool(MONTH_RE.match(text or ""))


def add_months(month: str, count: int) -> str:
    year, mon = parse_month(month)
    index = year * 12 + (mon - 1) + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


def month_start(month: str) -> datetime:
    year, mon = parse_month(month)
    return datetime(year, mon, 1, tzinfo=UTC)


def month_end(month: str) -> datetime:
    """The first instant after the month (when it can be settled)."""
    return month_start(add_months(month, 1))


def months_between(first: str, last: str) -> int:
    """How many months from `first` to `last` (0 when equal, negative when before)."""
    y1, m1 = parse_month(first)
    y2, m2 = parse_month(last)
    return (y2 * 12 + m2) - (y1 * 12 + m1)


def add_months_to_time(moment: datetime, count: int) -> datetime:
    """The same day and time `count` months later (clamped to the month's last day)."""
    moment = moment.astimezone(UTC)
    month = add_months(month_of(moment), count)
    start = month_start(month)
    last_day = (month_end(month) - start).days
    return moment.replace(year=start.year, month=start.month, day=min(moment.day, last_day))
