"""Medium: the profile's short bio and its About page."""

from __future__ import annotations

from registry_service.claims.proofs.base import META_DESCRIPTIONS, ProofAdapter, Source, q


class Medium(ProofAdapter):
    namespace = "medium"
    label = "Medium"
    where = "your Medium bio or your profile's About page"

    def sources(self, ident: str) -> list[Source]:
        name = q(ident)
        return [
            Source(f"https://medium.com/@{name}", "the Medium profile", places=META_DESCRIPTIONS),
            Source(
                f"https://medium.com/@{name}/about",
                "the Medium About page",
                places=(*META_DESCRIPTIONS, '[data-testid="aboutSection"]'),
            ),
        ]
