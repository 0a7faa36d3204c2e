"""Log formats: the once-a-second time of day writes what the standard library would."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry_service.logs import (
    TEXT_FORMAT,
    AccessLogger,
    JsonFormatter,
    TextFormatter,
    TurnBatchedStreamHandler,
    _sole_handler,
)

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


class _Request(dict):
    method = "GET"
    remote = "127.0.0.1"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path


class _Response:
    def __init__(self, status: int) -> None:
        self.status = status


@pytest.fixture
def access_logger():
    """A function giving an access logger behind nothing but a `TurnBatchedStreamHandler`
    on a StringIO, as `configure_logging` sets it up. Called in the test itself: pytest
    adds its capturing handlers as each phase starts."""
    logger = logging.getLogger("omniflattr.test-direct-access")
    logger.propagate = False
    logger.setLevel(logging.INFO)

    def make():
        stream = io.StringIO()
        handler = TurnBatchedStreamHandler(stream)
        logger.handlers[:] = [handler]
        return logger, handler, stream

    yield make
    logger.handlers.clear()


paths = st.text(st.characters(codec="utf-8") | st.sampled_from("/%\ud800"), max_size=30)


@pytest.mark.parametrize("formatter", [lambda: TextFormatter(TEXT_FORMAT), JsonFormatter])
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=paths, status=st.integers(100, 599), seconds=st.floats(0, 100), moment=moments)
def test_the_direct_access_line_is_the_line_logging_writes(
    access_logger, monkeypatch, formatter, path, status, seconds, moment
):
    logger, handler, stream = access_logger()
    handler.setFormatter(formatter())
    monkeypatch.setattr("registry_service.logs._now", lambda: moment)
    access = AccessLogger(logger, "")
    assert _sole_handler(logger) is handler  # the direct path is the one taken
    access.log(_Request(path), _Response(status), seconds)
    direct = stream.getvalue()
    stream.seek(0), stream.truncate()
    logger.addFilter(lambda record: True)  # a filter: the record goes through `logging`
    try:
        access.log(_Request(path), _Response(status), seconds)
    finally:
        logger.filters.clear()
    assert direct and direct == stream.getvalue()


async def test_lines_of_one_loop_turn_are_written_together_at_the_next(access_logger):
    logger, handler, stream = access_logger()
    handler.setFormatter(logging.Formatter("%(message)s"))
    writes = []
    stream.write = lambda text: writes.append(text)  # type: ignore[method-assign]
    logger.info("one")
    logger.info("two")
    assert writes == []
    await asyncio.sleep(0)
    assert writes == ["one\ntwo\n"]
    logger.info("three")
    handler.flush()  # as logging.shutdown does at exit
    assert writes == ["one\ntwo\n", "three\n"]


def test_without_a_running_loop_each_line_is_written_at_once(access_logger):
    logger, handler, stream = access_logger()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.info("alone")
    assert stream.getvalue() == "alone\n"


async def test_warnings_are_written_at_once_with_what_was_pending(access_logger):
    logger, handler, stream = access_logger()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.info("before")
    logger.warning("trouble")
    assert stream.getvalue() == "before\ntrouble\n"


async def test_an_access_line_the_formatter_cannot_write_does_not_lose_the_batch(
    access_logger,
):
    logger, handler, stream = access_logger()
    handler.setFormatter(TextFormatter(TEXT_FORMAT))
    access = AccessLogger(logger, "")
    access.log(_Request("/a"), _Response(200), 0.001)
    logger.info("after")
    handler.setFormatter(logging.Formatter("%(message)s"))  # has no access_line
    await asyncio.sleep(0)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and "/a" in lines[0] and lines[1].endswith(": after")
