"""itch.io: {creator}.itch.io and itch.io/profile/{creator}."""

from registry_service.resolve.platforms.base import Platform, Rule


class ItchIo(Platform):
    namespace = "itchio"
    label = "itch.io"
    hosts = ("itch.io",)
    tenant_hosts = ("itch.io",)
    reserved_tenants = frozenset(["www", "static", "img", "api", "w", "html"])
    id_pattern = r"[a-z0-9](?:[a-z0-9_-]{0,62})"
    rules = (Rule("/profile/{id}"),)
