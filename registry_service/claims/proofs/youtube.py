"""YouTube: the channel's description (its About text)."""

from __future__ import annotations

from registry_service.claims.proofs.base import META_DESCRIPTIONS, ProofAdapter, Source, q


class YouTube(ProofAdapter):
    namespace = "youtube"
    label = "YouTube"
    where = "your channel's description (the About text)"

    def sources(self, ident: str) -> list[Source]:
        path = f"@{q(ident[1:])}" if ident.startswith("@") else f"channel/{q(ident)}"
        return [
            Source(
                f"https://www.youtube.com/{path}/about",
                "the channel's About text",
                places=(*META_DESCRIPTIONS, 'meta[itemprop="description"]'),
            )
        ]
