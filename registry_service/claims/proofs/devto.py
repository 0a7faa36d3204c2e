"""DEV (dev.to): the profile summary and website, from the public API."""

from __future__ import annotations

from registry_service.claims.proofs.base import ProofAdapter, Source, q


class Devto(ProofAdapter):
    namespace = "devto"
    label = "DEV"
    where = "your DEV bio (summary) or website field"

    def sources(self, ident: str) -> list[Source]:
        return [
            Source(
                f"https://dev.to/api/users/by_username?url={q(ident)}",
                "the DEV profile",
                kind="json",
                places=("summary", "website_url"),
                identity=("username", ident),
            )
        ]
