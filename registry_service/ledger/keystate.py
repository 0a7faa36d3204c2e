"""Who each key pays at settlement time: owners (claimed or declined) and NGO flags."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from registry_service.accounts.ngo import ngo_accounts
from registry_service.claims.ownership import owners_of
from registry_service.context import Context
from registry_service.ledger.plan import KeyState
from registry_service.resolve import InvalidUrl, get_resolver

CHUNK = 100  # URLs or keys per lookup
PARALLEL = 8  # lookups in flight at once


class KeyBook:
    """Resolutions and key states looked up once per settlement run (late binding)."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.keys_of: dict[str, tuple[str, ...]] = {}
        self.states: dict[str, KeyState] = {}

    async def resolve(self, normalized_urls: Iterable[str]) -> None:
        missing = [u for u in dict.fromkeys(normalized_urls) if u not in self.keys_of]
        if not missing:
            return
        resolver = get_resolver(self.context)
        chunks = [missing[i : i + CHUNK] for i in range(0, len(missing), CHUNK)]
        results: list = []
        for start in range(0, len(chunks), PARALLEL):
            answers = await asyncio.gather(
                *(resolver.resolve_many(c, crawl=False) for c in chunks[start : start + PARALLEL])
            )
            results += [r for answer in answers for r in answer]
        new_keys: set[str] = set()
        for url, result in zip(missing, results, strict=True):
            if isinstance(result, InvalidUrl) or result is None:
                self.keys_of[url] = ()
                continue
            keys = tuple(dict.fromkeys(result.keys or (result.key,)))
            self.keys_of[url] = keys
            new_keys.update(keys)
        await self.load_states(new_keys)

    async def load_states(self, keys: Iterable[str]) -> None:
        missing = [k for k in keys if k not in self.states]
        if not missing:
            return
        found = await asyncio.gather(
            *(
                owners_of(self.context.db, missing[i : i + CHUNK])
                for i in range(0, len(missing), CHUNK)
            )
        )
        owners = {k: v for part in found for k, v in part.items()}
        ngos = await ngo_accounts(
            self.context.db, [o.account_id for o in owners.values() if o.claimed]
        )
        for key in missing:
            owner = owners.get(key)
            if owner is None:
                self.states[key] = KeyState()
            elif not owner.claimed:  # declined by an owner whose claim has ended
                self.states[key] = KeyState(declined=True)
            else:
                self.states[key] = KeyState(
                    owner_id=str(owner.account_id),
                    ngo=str(owner.account_id) in ngos,
                    declined=owner.declined,
                )
