"""Bluesky: bsky.app/profile/{handle or DID}."""

from registry_service.resolve.platforms.base import Platform, Rule


class Bluesky(Platform):
    namespace = "bluesky"
    label = "Bluesky"
    hosts = ("bsky.app",)
    # A handle is a domain name (alice.bsky.social); a DID is did:plc:... or did:web:...
    id_pattern = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*|did:[a-z]+:[\w.:%-]+"
    rules = (Rule("/profile/{id}"),)

    @classmethod
    def normalize_id(cls, account: str) -> str:
        # Handles are case-insensitive host names; a DID's own text is kept.
        return account if account.startswith("did:") else account.lower()
