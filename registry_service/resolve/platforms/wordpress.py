"""WordPress.com: {site}.wordpress.com."""

from registry_service.resolve.platforms.base import Platform


class WordPress(Platform):
    namespace = "wordpress"
    label = "WordPress.com"
    tenant_hosts = ("wordpress.com",)
    reserved_tenants = frozenset(
        [
            "www",
            "public-api",
            "developer",
            "apps",
            "subscribe",
            "dashboard",
            "learn",
            "support",
            "wpcomstaging",
        ]
    )
    # Site addresses have at least 4 characters; shorter subdomains (en., fr., s0.) are
    # WordPress.com's own language and file hosts.
    id_pattern = r"[a-z0-9][a-z0-9-]{3,62}"
