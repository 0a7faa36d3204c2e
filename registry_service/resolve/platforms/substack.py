"""Substack: {pub}.substack.com."""

from registry_service.resolve.platforms.base import Platform


class Substack(Platform):
    namespace = "substack"
    label = "Substack"
    tenant_hosts = ("substack.com",)
    reserved_tenants = frozenset(
        ["www", "on", "support", "api", "cdn", "blog", "read", "email", "help"]
    )
    id_pattern = r"[a-z0-9](?:[a-z0-9-]{0,62})"
