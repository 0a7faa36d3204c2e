"""Medium: medium.com/@{u} and {u}.medium.com."""

from registry_service.resolve.platforms.base import Platform, Rule


class Medium(Platform):
    namespace = "medium"
    label = "Medium"
    hosts = ("medium.com",)
    tenant_hosts = ("medium.com",)
    reserved_tenants = frozenset(
        [
            "www",
            "m",
            "help",
            "policy",
            "blog",
            "api",
            "cdn-images-1",
            "miro",
            "link",
            "email",
            "go",
            "status",
            "about",
        ]
    )
    id_pattern = r"[a-z0-9_.-]{1,50}"
    rules = (Rule("/@{id}"),)
