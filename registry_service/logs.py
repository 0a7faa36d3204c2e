"""Structured logs: one JSON object a line with --log-json, plain text otherwise.

The access log writes a line per request, so its record is built directly (no search of
the caller's frame, no thread or process lookups: neither format shows them), and nothing
is built at all when the `omniflattr.access` logger is not enabled for INFO.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime

import orjson
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "remote")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
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
        return orjson.dumps(entry, default=str).decode()


def configure_logging(json_lines: bool = False, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("pymongo").setLevel(logging.WARNING)
    # Neither format shows them; each costs a lookup per record.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


class AccessLogger(AbstractAccessLogger):
    """One access-log record per request, with its fields (JSON logs keep them apart)."""

    @property
    def enabled(self) -> bool:
        """aiohttp asks once per connection: no access log work at all when disabled."""
        return self.logger.isEnabledFor(logging.INFO)

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        logger = self.logger
        if not logger.isEnabledFor(logging.INFO):
            return
        method, path, status, ms = request.method, request.path, response.status, time * 1000
        record = logger.makeRecord(
            logger.name,
            logging.INFO,
            __file__,
            0,
            "%s %s %s %.1f ms",
            (method, path, status, ms),
            None,
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": round(ms, 2),
                "remote": request.remote,
            },
        )
        logger.handle(record)
