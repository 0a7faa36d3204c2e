"""Log formats: the once-a-second time of day writes what the standard library would."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from registry_service.logs import JsonFormatter, TextFormatter

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
moments = st.floats(min_value=0, max_value=4_000_000_000, allow_nan=False)


def record_at(created: float) -> logging.LogRecord:
    record = logging.LogRecord("omniflattr.t", logging.INFO, __file__, 1, "hello %s", ("x",), None)
    record.created = created
    record.msecs = int((created - int(created)) * 1000) + 0.0
    return record


@given(st.lists(moments, min_size=1, max_size=5))
def test_text_time_matches_the_standard_formatter(times):
    ours, standard = TextFormatter(FORMAT), logging.Formatter(FORMAT)
    for created in sorted(times) + sorted(times, reverse=True):
        record = record_at(created)
        assert ours.format(record) == standard.format(record)


@given(st.lists(moments | st.sampled_from([0.9999996, 1.0004999, 59.9995]), min_size=1, max_size=5))
def test_json_time_is_iso_utc_with_milliseconds(times):
    formatter = JsonFormatter()
    for created in times:
        entry = json.loads(formatter.format(record_at(created)))
        expected = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
        assert entry["time"] == expected
        assert entry["message"] == "hello x" and entry["level"] == "info"


def test_text_formatter_keeps_an_explicit_date_format():
    formatter = TextFormatter("%(asctime)s %(message)s", datefmt="%Y")
    record = record_at(0.5)
    assert (
        formatter.format(record)
        == f"{logging.Formatter('%(asctime)s', '%Y').format(record)} hello x"
    )


def test_a_json_line_with_a_lone_surrogate_is_still_written():
    record = logging.LogRecord(
        "omniflattr.api", logging.INFO, __file__, 1, "%s", ("a\ud800",), None
    )
    assert json.loads(JsonFormatter().format(record))["message"] == "a\ud800"
