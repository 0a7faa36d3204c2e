"""Bluesky: the profile description, through the public AppView API."""

from __future__ import annotations

from registry_service.claims.proofs.base import ProofAdapter, Source, q


class Bluesky(ProofAdapter):
    namespace = "bluesky"
    label = "Bluesky"
    where = "your Bluesky profile description"

    def sources(self, ident: str) -> list[Source]:
        return [
            Source(
                f"https://public.api.bsky.app/xrpc/app.bsky.actor.getProfile?actor={q(ident)}",
                "the Bluesky profile",
                kind="json",
                places=("description",),
                identity=("handle", ident),
                headers={"Accept": "application/json"},
            )
        ]
