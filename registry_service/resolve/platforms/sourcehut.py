"""SourceHut: sr.ht/~{user}, git.sr.ht/~{user}/... (every service) and {user}.srht.site."""

from registry_service.resolve.platforms.base import Platform, Rule


class SourceHut(Platform):
    namespace = "sourcehut"
    label = "SourceHut"
    hosts = tuple(
        f"{service}sr.ht"
        for service in ("", "git.", "hg.", "todo.", "lists.", "builds.", "man.", "paste.", "meta.")
    )
    tenant_hosts = ("srht.site",)
    id_pattern = r"[a-z_][a-z0-9_-]{1,29}"
    rules = (Rule("/~{id}"),)
