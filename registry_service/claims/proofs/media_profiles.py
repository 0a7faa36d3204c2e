"""Media platforms whose public profile page carries the account's bio in its description."""

from __future__ import annotations

from registry_service.claims.proofs.base import META_DESCRIPTIONS, ProofAdapter, Source, q


class SoundCloud(ProofAdapter):
    namespace = "soundcloud"
    label = "SoundCloud"
    where = "your SoundCloud bio"

    def sources(self, ident: str) -> list[Source]:
        return [
            Source(
                f"https://soundcloud.com/{q(ident)}",
                "the SoundCloud profile",
                places=META_DESCRIPTIONS,
            )
        ]


class Vimeo(ProofAdapter):
    namespace = "vimeo"
    label = "Vimeo"
    where = "your Vimeo bio"

    def sources(self, ident: str) -> list[Source]:
        return [
            Source(f"https://vimeo.com/{q(ident)}", "the Vimeo profile", places=META_DESCRIPTIONS)
        ]
