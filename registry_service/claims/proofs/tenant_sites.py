"""Platforms that give each account its own site (`{name}.wordpress.com`, ...): the site's
description, or the same meta tag as for domains in the site's <head>."""

from __future__ import annotations

from registry_service.claims.methods.meta_tag import META_NAME
from registry_service.claims.proofs.base import META_DESCRIPTIONS, ProofAdapter, Source

SITE_PLACES = (*META_DESCRIPTIONS, f'head meta[name="{META_NAME}"]')


class TenantSite(ProofAdapter):
    host_pattern = "{id}.example.com"
    extra_places: tuple[str, ...] = ()

    def sources(self, ident: str) -> list[Source]:
        url = "https://" + self.host_pattern.format(id=ident) + "/"
        return [Source(url, f"the {self.label} site", places=SITE_PLACES + self.extra_places)]


class WordPress(TenantSite):
    namespace = "wordpress"
    label = "WordPress.com"
    host_pattern = "{id}.wordpress.com"
    where = "your site's tagline (description), or the omniflattr-verification meta tag"


class Blogger(TenantSite):
    namespace = "blogger"
    label = "Blogger"
    host_pattern = "{id}.blogspot.com"
    where = "your blog's description, or the omniflattr-verification meta tag in its template"


class Substack(TenantSite):
    namespace = "substack"
    label = "Substack"
    host_pattern = "{id}.substack.com"
    where = "your publication's short description"


class Bandcamp(TenantSite):
    namespace = "bandcamp"
    label = "Bandcamp"
    host_pattern = "{id}.bandcamp.com"
    where = "your Bandcamp bio"
    extra_places = ("#bio-text", "#bio-container .bio-text")


class Tumblr(TenantSite):
    namespace = "tumblr"
    label = "Tumblr"
    host_pattern = "{id}.tumblr.com"
    where = "your blog's description, or the omniflattr-verification meta tag in its theme"


class ItchIo(TenantSite):
    namespace = "itchio"
    label = "itch.io"
    host_pattern = "{id}.itch.io"
    where = "your itch.io profile page's description"


class SourceHut(TenantSite):
    namespace = "sourcehut"
    label = "SourceHut"
    host_pattern = "{id}.srht.site"
    where = "the omniflattr-verification meta tag or the description of your {id}.srht.site page"
