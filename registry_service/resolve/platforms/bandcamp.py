"""Bandcamp: {artist}.bandcamp.com (bandcamp.com/{name} is a fan's page, not an artist)."""

from registry_service.resolve.platforms.base import Platform


class Bandcamp(Platform):
    namespace = "bandcamp"
    label = "Bandcamp"
    tenant_hosts = ("bandcamp.com",)
    reserved_tenants = frozenset(
        ["www", "daily", "blog", "get", "m", "api", "help", "f4", "s4", "t4"]
    )
    id_pattern = r"[a-z0-9](?:[a-z0-9-]{0,62})"
