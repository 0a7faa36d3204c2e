"""Platform proof adapters, one per platform, on the common base in `base.py`."""

from __future__ import annotations

from registry_service.claims.proofs.base import ProofAdapter
from registry_service.claims.proofs.bluesky import Bluesky
from registry_service.claims.proofs.codeberg import Codeberg
from registry_service.claims.proofs.devto import Devto
from registry_service.claims.proofs.github import GitHub
from registry_service.claims.proofs.gitlab import GitLab
from registry_service.claims.proofs.mastodon import Mastodon
from registry_service.claims.proofs.media_profiles import SoundCloud, Vimeo
from registry_service.claims.proofs.medium import Medium
from registry_service.claims.proofs.reddit import Reddit
from registry_service.claims.proofs.tenant_sites import (
    Bandcamp,
    Blogger,
    ItchIo,
    SourceHut,
    Substack,
    Tumblr,
    WordPress,
)
from registry_service.claims.proofs.twitch import Twitch
from registry_service.claims.proofs.youtube import YouTube

ADAPTERS: dict[str, ProofAdapter] = {
    adapter.namespace: adapter
    for adapter in (
        GitHub(),
        GitLab(),
        Codeberg(),
        Mastodon(),
        YouTube(),
        Twitch(),
        Bluesky(),
        Medium(),
        Reddit(),
        Devto(),
        SoundCloud(),
        Vimeo(),
        WordPress(),
        Blogger(),
        Substack(),
        Bandcamp(),
        Tumblr(),
        ItchIo(),
        SourceHut(),
    )
}


def adapter_for(namespace: str) -> ProofAdapter | None:
    return ADAPTERS.get(namespace)
