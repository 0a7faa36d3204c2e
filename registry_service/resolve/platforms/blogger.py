"""Blogger: {blog}.blogspot.com and the country hosts (blogspot.fr, blogspot.co.uk, ...)."""

from registry_service.resolve.platforms.base import Platform


class Blogger(Platform):
    namespace = "blogger"
    label = "Blogger"
    tenant_hosts = ("blogspot.*",)
    id_pattern = r"[a-z0-9](?:[a-z0-9-]{0,62})"
