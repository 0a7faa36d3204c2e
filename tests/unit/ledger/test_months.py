from datetime import UTC, datetime

import pytest

from registry_service.api.errors import BadRequest
from registry_service.ledger.months import add_months, add_months_to_time, month_end, parse_month


def test_month_arithmetic():
    assert add_months("2026-11", 1) == "2026-12"
    assert add_months("2026-12", 1) == "2027-01"
    assert add_months("2026-01", -1) == "2025-12"
    assert month_end("2026-12") == datetime(2027, 1, 1, tzinfo=UTC)


def test_adding_months_to_a_time_clamps_the_day():
    assert add_months_to_time(datetime(2026, 8, 31, 9, tzinfo=UTC), 6) == datetime(
        2027, 2, 28, 9, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["2026-13", "26-01", "2026-1", "", "2026-00", "2026-01x"])
def test_bad_months_are_refused(text):
    with pytest.raises(BadRequest):
        parse_month(text)
