"""Twitch: the channel's bio."""

from __future__ import annotations

from registry_service.claims.proofs.base import META_DESCRIPTIONS, ProofAdapter, Source, q


class Twitch(ProofAdapter):
    namespace = "twitch"
    label = "Twitch"
    where = "your Twitch bio"

    def sources(self, ident: str) -> list[Source]:
        return [
            Source(f"https://www.twitch.tv/{q(ident)}", "the Twitch bio", places=META_DESCRIPTIONS)
        ]
