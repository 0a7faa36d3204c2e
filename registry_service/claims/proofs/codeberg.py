"""Codeberg (Forgejo): the profile's biography and website through the public API, and the
profile README (the README of the `.profile` repository)."""

from __future__ import annotations

from registry_service.claims.proofs.base import ProofAdapter, Source, q


class Codeberg(ProofAdapter):
    namespace = "codeberg"
    label = "Codeberg"
    where = "your Codeberg biography, website field, or the README of your .profile repository"

    def sources(self, ident: str) -> list[Source]:
        name = q(ident)
        return [
            Source(
                f"https://codeberg.org/api/v1/users/{name}",
                "the Codeberg profile",
                kind="json",
                places=("description", "website"),
                identity=("login", ident),
                headers={"Accept": "application/json"},
            ),
            Source(
                f"https://codeberg.org/{name}/.profile/raw/branch/main/README.md",
                "the profile README",
                kind="text",
            ),
        ]
