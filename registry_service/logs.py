"""Structured logs: one JSON object a line with --log-json, plain text otherwise.

The access log writes a line per request. With the handler `configure_logging` sets up and
nothing else in the way (no other handler, no filter), its line is formatted straight from
the request's fields, the very line the `logging` path would write (tested), without a
record and its dispatch (~1 µs instead of ~5 µs); otherwise it goes through `logging` with
a record copied from one made in advance. Nothing is built at all when `omniflattr.access`
is not enabled for INFO, and both formats work out the time of day once a second. The
handler writes the lines of one event-loop turn with one system call, at the start of the
next turn (under load a turn serves tens of requests): no line waits across a turn, so
nothing sits in a buffer while the loop idles.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import time
from datetime import UTC, datetime

import orjson
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

from registry_service.api.proxies import CLIENT_ADDRESS

ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "remote")


ACCESS_MESSAGE = "%s %s %s %.1f ms"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class TextFormatter(logging.Formatter):
    """`logging.Formatter` whose `asctime` (local time, the default format) is worked out
    once a second."""

    _second = -1
    _prefix = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        return self._asctime(record.created, record.msecs)

    def _asctime(self, created: float, msecs: float) -> str:
        second = int(created)
        if second != self._second:
            self._prefix = time.strftime(self.default_time_format, self.converter(second))
            self._second = second
        return self.default_msec_format % (self._prefix, msecs)

    @property
    def writes_access_lines(self) -> bool:
        """Whether `access_line` can stand for `format` (only with the default format)."""
        return self._fmt == TEXT_FORMAT and self.datefmt is None

    def access_line(self, logger: str, created: float, fields: tuple) -> str:
        """The line `format` writes for an access record (`writes_access_lines`)."""
        method, path, status, ms, _remote = fields
        asctime = self._asctime(created, (created - int(created)) * 1000)
        return f"{asctime} INFO {logger}: {ACCESS_MESSAGE % (method, path, status, ms)}"


class JsonFormatter(logging.Formatter):
    _second = -1
    _prefix = ""

    def utc_time(self, created: float) -> str:
        """ISO 8601 UTC with milliseconds, the date and seconds worked out once a second."""
        second = int(created)
        micros = round((created - second) * 1_000_000)  # as datetime rounds a timestamp
        if micros == 1_000_000:
            second, micros = second + 1, 0
        if second != self._second:
            self._prefix = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
            self._second = second
        return f"{self._prefix}.{micros // 1000:03d}+00:00"

    writes_access_lines = True

    def access_line(self, logger: str, created: float, fields: tuple) -> str:
        """The line `format` writes for an access record."""
        method, path, status, ms, remote = fields
        entry = {
            "time": self.utc_time(created),
            "level": "info",
            "logger": logger,
            "message": ACCESS_MESSAGE % (method, path, status, ms),
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round(ms, 2),
            "remote": remote,
        }
        return _dumps(entry)

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.utc_time(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = record.__dict__
        for key in ACCESS_FIELDS:
            if key in fields:
                entry[key] = fields[key]
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _dumps(entry)


def _dumps(entry: dict) -> str:
    try:
        return orjson.dumps(entry, default=str).decode()
    except orjson.JSONEncodeError:  # text that is not valid Unicode (a lone surrogate)
        return json.dumps(entry, default=str)


class TurnBatchedStreamHandler(logging.StreamHandler):
    """A `StreamHandler` that writes the lines emitted during one event-loop turn together.

    On the loop's thread an INFO (or lower) line joins the turn's batch, written by a
    callback the loop runs first thing in its next turn (before it waits for anything);
    warnings and errors, lines from any other thread, and lines with no loop running are
    written at once, with whatever is pending before them. `flush` (also called by
    `logging.shutdown` at exit) writes whatever is pending. Access lines join the batch as
    their fields and are formatted as it is written (`emit_access`): formatting a batch in
    one go costs a request a fraction of formatting its line on the way.
    """

    def __init__(self, stream=None) -> None:
        super().__init__(stream)
        self._pending: list[str | tuple] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        if record.levelno >= logging.WARNING:  # what a crash right after must not lose
            with self.lock:
                self._pending.append(line + self.terminator)
                self._write_pending()
            return
        self.emit_line(line)

    def emit_line(self, line: str) -> None:
        """Write one formatted line."""
        with self.lock:
            self._emit_line(line + self.terminator)

    def emit_access(self, logger: str, created: float, fields: tuple) -> None:
        """Write the access line of these fields (the formatter `writes_access_lines`)."""
        with self.lock:
            self._emit_line((logger, created, fields))

    def _emit_line(self, line: str | tuple) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or loop.is_closed():
            self._pending.append(line)
            self._write_pending()
            return
        self._pending.append(line)
        if self._loop is not loop:
            self._loop = loop
            loop.call_soon(self._flush_turn)

    def _flush_turn(self) -> None:
        with self.lock:
            self._loop = None
            self._write_pending()

    def _write_pending(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        text = "".join(
            item if item.__class__ is str else self._access_line(item) for item in pending
        )
        try:
            self.stream.write(text)
            self.stream.flush()
        except Exception:  # as logging does: a closed or full stream must not break callers
            if logging.raiseExceptions:
                with contextlib.suppress(Exception):
                    sys.__stderr__.write("--- logging error: could not write log lines ---\n")

    def _access_line(self, fields: tuple) -> str:
        try:
            line = self.formatter.access_line(*fields)  # type: ignore[union-attr]
        except Exception:  # (the formatter was replaced meanwhile): keep the line's facts
            line = f"access {fields!r}"
        return line + self.terminator

    def flush(self) -> None:
        with self.lock:
            self._write_pending()
            super().flush()


def configure_logging(json_lines: bool = False, level: int = logging.INFO) -> None:
    handler = TurnBatchedStreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("pymongo").setLevel(logging.WARNING)
    # Neither format shows them; each costs a lookup per record.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


class AccessLogger(AbstractAccessLogger):
    """One access-log record per request, with its fields (JSON logs keep them apart).

    It logs the peer's address; `ProxiedAccessLogger`, for a service behind trusted
    proxies, the client's address the proxy middleware found (a lookup that costs every
    request ~1 µs, so only there)."""

    behind_proxies = False

    def __init__(self, logger: logging.Logger, log_format: str) -> None:
        super().__init__(logger, log_format)
        model = logger.makeRecord(logger.name, logging.INFO, __file__, 0, ACCESS_MESSAGE, (), None)
        self._model = vars(model) | {"funcName": "log", "taskName": None}
        self._started = model.created - model.relativeCreated / 1000  # logging's start

    @property
    def enabled(self) -> bool:
        """aiohttp asks once per connection: no access log work at all when disabled."""
        return self.logger.isEnabledFor(logging.INFO)

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        logger = self.logger
        if not logger.isEnabledFor(logging.INFO):
            return
        method, path, status, ms = request.method, request.path, response.status, time * 1000
        now = _now()
        remote = (
            request.get(CLIENT_ADDRESS) or request.remote if self.behind_proxies else request.remote
        )
        handler = _sole_handler(logger)
        if handler is not None:
            handler.emit_access(logger.name, now, (method, path, status, ms, remote))
            return
        record = logging.LogRecord.__new__(logging.LogRecord)
        record.__dict__ = self._model | {
            "args": (method, path, status, ms),
            "created": now,
            "msecs": (now - int(now)) * 1000,
            "relativeCreated": (now - self._started) * 1000,
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round(ms, 2),
            "remote": remote,
        }
        logger.handle(record)


class ProxiedAccessLogger(AccessLogger):
    behind_proxies = True


def access_logger_class(trusted_proxies: str) -> type[AccessLogger]:
    """The access logger for a service with these `OMNIFLATTR_TRUSTED_PROXIES`."""
    return ProxiedAccessLogger if trusted_proxies.strip() else AccessLogger


def _sole_handler(logger: logging.Logger) -> TurnBatchedStreamHandler | None:
    """The handler `logger`'s INFO records reach, when it is the only one, one of ours,
    and no filter stands in the way (else None: the record goes through `logging`)."""
    found = None
    current: logging.Logger | None = logger
    while current is not None:
        if current.filters:
            return None
        for handler in current.handlers:
            if found is not None or handler.filters or handler.level > logging.INFO:
                return None
            found = handler
        if not current.propagate:
            break
        current = current.parent  # type: ignore[assignment]
    if isinstance(found, TurnBatchedStreamHandler) and getattr(
        found.formatter, "writes_access_lines", False
    ):
        return found
    return None


_now = time.time
