"""Vimeo: vimeo.com/{user}; vimeo.com/{digits} is a video whose owner a crawl finds."""

from registry_service.resolve.platforms.base import Platform, Rule

DIGITS = r"[0-9]+"


class Vimeo(Platform):
    namespace = "vimeo"
    label = "Vimeo"
    hosts = ("vimeo.com", "player.vimeo.com")
    id_pattern = r"(?![0-9]+$)[a-z0-9_.-]{1,64}"
    rules = (
        Rule("/video/*", crawl=True, hosts=("player.vimeo.com",)),
        Rule("/{id}", crawl=True, id_pattern=DIGITS, hosts=("vimeo.com",)),
        Rule("/channels/*/*", crawl=True),
        Rule("/groups/*/videos/*", crawl=True),
        Rule("/showcase/*", crawl=True),
        Rule("/album/*", crawl=True),
        Rule("/ondemand/*", crawl=True),
        Rule("/{id}", hosts=("vimeo.com",)),
    )
    reserved = frozenset(
        [
            "about",
            "blog",
            "channels",
            "groups",
            "categories",
            "watch",
            "ondemand",
            "features",
            "upload",
            "log_in",
            "join",
            "login",
            "signup",
            "settings",
            "search",
            "help",
            "pricing",
            "enterprise",
            "solutions",
            "create",
            "stock",
            "upgrade",
            "manage",
            "home",
            "jobs",
            "showcase",
            "album",
            "event",
            "events",
            "live",
            "ott",
            "integrations",
            "partners",
            "privacy",
            "terms",
            "cookie_policy",
            "dmca",
            "everywhere",
            "site_map",
            "api",
            "developer",
            "purchases",
            "tv",
            "staffpicks",
            "for-hire",
            "professionals",
            "business",
            "video",
            "videos",
            "player",
            "robots.txt",
            "favicon.ico",
        ]
    )
