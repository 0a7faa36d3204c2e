"""YouTube: channels by id (case kept), @handles, and videos whose channel a crawl finds."""

from registry_service.resolve.platforms.base import Platform, Rule

CHANNEL_ID = r"UC[0-9A-Za-z_-]{22}"
VIDEO_ID = r"[0-9A-Za-z_-]{6,20}"


class YouTube(Platform):
    namespace = "youtube"
    label = "YouTube"
    hosts = ("youtube.com", "youtu.be", "youtube-nocookie.com")
    prefixes = ("m.", "music.")
    home_domain = "youtube.com"
    # Handles: letters (any script), digits, _ - and ., case-insensitive.
    id_pattern = r"[\w.-]{1,100}"
    rules = (
        Rule("/*", crawl=True, hosts=("youtu.be",), id_pattern=VIDEO_ID),
        Rule("/channel/{id}", id_pattern=CHANNEL_ID),
        Rule("/@{id}", id_prefix="@", learns_id=True),
        Rule("/watch", crawl=True, query="v"),
        # A video, a short, a live stream, an embed, a post or a legacy channel address:
        # the page names its channel.
        Rule("/shorts/*", crawl=True),
        Rule("/live/*", crawl=True),
        Rule("/embed/*", crawl=True),
        Rule("/v/*", crawl=True),
        Rule("/post/*", crawl=True),
        Rule("/c/*", crawl=True),
        Rule("/user/*", crawl=True),
        Rule("/{id}", crawl=True),  # youtube.com/{custom name} (legacy channel address)
    )
    reserved = frozenset(
        [
            "feed",
            "results",
            "playlist",
            "watch",
            "shorts",
            "live",
            "embed",
            "v",
            "channel",
            "c",
            "user",
            "post",
            "account",
            "premium",
            "about",
            "t",
            "howyoutubeworks",
            "creators",
            "ads",
            "kids",
            "gaming",
            "redirect",
            "signin",
            "logout",
            "upload",
            "subscription_manager",
            "paid_memberships",
            "reporthistory",
            "hashtag",
            "trending",
            "podcasts",
            "new",
            "yt",
            "s",
            "api",
            "attribution_link",
            "oembed",
            "iframe_api",
            "sw.js",
            "supported_browsers",
            "tv",
            "source",
            "storefront",
            "jobs",
            "copyright",
            "verify_age",
            "playables",
            "music",
            "movies",
            "account_notifications",
            "account_privacy",
            "channel_switcher",
            "view_all_playlists",
            "favicon.ico",
            "robots.txt",
            "sitemap.xml",
            "manifest.webmanifest",
            "watch_videos",
        ]
    )

    @classmethod
    def key_for_id(cls, ident: str) -> str | None:
        # A typed id is a channel id (UC...) or an @handle; a bare word could be either.
        ident = ident.strip()
        if cls._valid(ident, CHANNEL_ID) and ident.startswith("UC"):
            return f"youtube:{ident}"
        handle = ident.removeprefix("@")
        if not ident.startswith("@") or handle.lower() in cls.reserved:
            return None
        return f"youtube:@{handle.lower()}" if cls._valid(handle, cls.id_pattern) else None

    @classmethod
    def normalize_id(cls, account: str) -> str:
        # Channel ids (UC...) are case-sensitive; @handles are not.
        return account.lower() if account.startswith("@") else account
