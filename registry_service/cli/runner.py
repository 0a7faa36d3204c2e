"""Running a CLI command against the same database as the service."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable

from pymongo.errors import PyMongoError

from registry_service.config import Settings
from registry_service.context import Context
from registry_service.logs import configure_logging
from registry_service.store.embedded import EmbeddedDatabaseError
from registry_service.store.lifecycle import open_context
from registry_service.store.schema import ensure_indexes


def run_with_context(
    settings: Settings, work: Callable[[Context], Awaitable[int | None]], *, log_json: bool = False
) -> int:
    """Open the database (finding the one `serve` started for the data directory), run `work`."""
    configure_logging(log_json)

    async def main() -> int:
        async with open_context(settings) as context:
            await ensure_indexes(context.db)
            return int(await work(context) or 0)

    try:
        return asyncio.run(main())
    except EmbeddedDatabaseError as exc:
        print(f"omniflattr: {exc}", file=sys.stderr)
        return 2
    except PyMongoError as exc:
        print(f"omniflattr: the database is not reachable: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
