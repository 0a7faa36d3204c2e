"""The fediverse: {instance}/@{user} on large instances and on hosts seen answering NodeInfo."""

from __future__ import annotations

import re

import idna

from registry_service.resolve.platforms.base import Platform, Rule

_REMOTE_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")

# Large instances known without a crawl; the crawler adds any host answering NodeInfo
# to the `fediverse_hosts` collection.
BUILTIN_INSTANCES = (
    "mastodon.social",
    "mastodon.online",
    "mstdn.social",
    "fosstodon.org",
    "hachyderm.io",
    "infosec.exchange",
    "mas.to",
    "techhub.social",
    "mastodon.world",
    "mstdn.jp",
    "pawoo.net",
    "mastodon.cloud",
    "universeodon.com",
    "mastodon.art",
    "social.vivaldi.net",
    "troet.cafe",
    "chaos.social",
    "mastodon.uno",
    "mastodon.green",
    "ioc.exchange",
    "mastodon.ie",
    "mastodon.scot",
    "mastodonapp.uk",
    "sfba.social",
    "kolektiva.social",
    "mathstodon.xyz",
    "scholar.social",
    "mastodon.sdf.org",
    "toot.community",
    "social.coop",
    "mindly.social",
    "c.im",
    "indieweb.social",
    "newsie.social",
    "journa.host",
    "mstdn.ca",
    "aus.social",
    "masto.ai",
    "mastodon.nl",
    "det.social",
    "norden.social",
    "social.tchncs.de",
    "mastodon.xyz",
    "piaille.fr",
    "mamot.fr",
    "framapiaf.org",
    "toot.cafe",
    "octodon.social",
    "qoto.org",
    "misskey.io",
)


class Mastodon(Platform):
    namespace = "mastodon"
    label = "Mastodon (fediverse)"
    hosts = BUILTIN_INSTANCES
    dynamic_hosts = True
    # user, or user@other.instance when an instance shows a remote account.
    id_pattern = r"[\w.-]{1,64}(?:@[a-z0-9.-]{3,253})?"
    rules = (Rule("/@{id}"), Rule("/users/{id}"))

    @classmethod
    def make_key(cls, account: str, host: str) -> str | None:
        user, _, instance = account.partition("@")
        instance = instance or host
        if not _REMOTE_HOST.fullmatch(instance):
            return None
        return f"mastodon:{user}@{instance.removeprefix('www.')}"

    @classmethod
    def key_for_id(cls, ident: str) -> str | None:
        # A typed id must name its server (alice@example.social), spelled as URLs spell it.
        user, sep, instance = ident.strip().removeprefix("@").partition("@")
        if not sep or not user or not cls._valid(user, r"[\w.-]{1,64}"):
            return None
        try:
            instance = idna.encode(instance.rstrip("."), uts46=True).decode("ascii")
        except idna.IDNAError:
            return None
        return cls.make_key(cls.normalize_id(f"{user}@{instance}"), "")
