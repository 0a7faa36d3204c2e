"""What every part of the service needs: settings, clock and the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from registry_service.clock import Clock
from registry_service.config import Settings


@dataclass
class Context:
    settings: Settings
    clock: Clock
    client: AsyncMongoClient
    db: AsyncDatabase
    # Per-process services that domains attach (the resolver cache, the crawl queue, ...),
    # keyed by a name their own package owns.
    services: dict[str, Any] = field(default_factory=dict)
