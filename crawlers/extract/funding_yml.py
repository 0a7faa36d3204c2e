"""GitHub `FUNDING.yml`: the ways a repository's maintainers accept support."""

from __future__ import annotations

import yaml

from crawlers.extract.signals import Signals

# FUNDING.yml keys → URL of the account on that platform.
PLATFORM_URLS = {
    "github": "https://github.com/sponsors/{}",
    "patreon": "https://www.patreon.com/{}",
    "open_collective": "https://opencollective.com/{}",
    "ko_fi": "https://ko-fi.com/{}",
    "tidelift": "https://tidelift.com/funding/github/{}",
    "community_bridge": "https://funding.communitybridge.org/projects/{}",
    "liberapay": "https://liberapay.com/{}",
    "issuehunt": "https://issuehunt.io/r/{}",
    "lfx_crowdfunding": "https://crowdfunding.lfx.linuxfoundation.org/projects/{}",
    "polar": "https://polar.sh/{}",
    "buy_me_a_coffee": "https://buymeacoffee.com/{}",
    "thanks_dev": "https://thanks.dev/{}",
    "otechie": "https://otechie.com/{}",
}
MAX_BYTES = 64 * 1024


def _values(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if isinstance(v, str | int) and str(v).strip()][:10]


def parse_funding_yml(text: str, source_url: str) -> Signals:
    found = Signals()
    if len(text) > MAX_BYTES:
        return found
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return found
    if not isinstance(data, dict):
        return found
    for key, value in data.items():
        platform = str(key).strip().lower()
        for item in _values(value):
            if platform == "custom":
                url = item if item.startswith(("http://", "https://")) else f"https://{item}"
                found.accept("funding_yml", url, platform="custom", source=source_url)
            elif platform in PLATFORM_URLS:
                account = item.strip("/")
                if ("/" in account and platform != "tidelift") or " " in account:
                    continue  # not an account name on that platform
                url = PLATFORM_URLS[platform].format(account)
                found.accept("funding_yml", url, platform=platform, source=source_url)
    return found
