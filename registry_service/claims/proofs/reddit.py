"""Reddit: the profile's "about" description, from the public about.json."""

from __future__ import annotations

from registry_service.claims.proofs.base import ProofAdapter, Source, q


class Reddit(ProofAdapter):
    namespace = "reddit"
    label = "Reddit"
    where = "your Reddit profile's About description"

    def sources(self, ident: str) -> list[Source]:
        return [
            Source(
                f"https://www.reddit.com/user/{q(ident)}/about.json",
                "the Reddit profile",
                kind="json",
                places=("data.subreddit.public_description", "data.subreddit.description"),
                identity=("data.name", ident),
            )
        ]
