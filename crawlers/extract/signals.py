"""What extractors find in a page, merged into one record."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_ITEMS = 20  # per list: a page cannot flood the store


def _unique(items: list) -> list:
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen[:MAX_ITEMS]


@dataclass
class Signals:
    creators: list[str] = field(default_factory=list)  # decides the key: the site's own word
    legacy_creators: list[str] = field(default_factory=list)  # flattr:<id>, weaker
    identities: list[str] = field(default_factory=list)  # rel=me, fediverse:creator
    hints: dict[str, list] = field(default_factory=dict)  # shown to people, never pays
    also_accepts: list[dict] = field(default_factory=list)  # other ways to support
    platform_key: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # handle key → immutable key
    feeds: list[str] = field(default_factory=list)

    def hint(self, name: str, *values) -> None:
        for value in values:
            if value:
                self.hints.setdefault(name, []).append(value)

    def accept(self, kind: str, url: str, **extra) -> None:
        if url:
            self.also_accepts.append({"kind": kind, "url": url, **extra})

    def merge(self, other: Signals) -> Signals:
        self.creators += other.creators
        self.legacy_creators += other.legacy_creators
        self.identities += other.identities
        for name, values in other.hints.items():
            self.hints.setdefault(name, []).extend(values)
        self.also_accepts += other.also_accepts
        self.platform_key = self.platform_key or other.platform_key
        self.aliases.update(other.aliases)
        self.feeds += other.feeds
        return self

    def deciding_creators(self) -> list[str]:
        """This service's tags win; the legacy Flattr tags count only without them."""
        return _unique(self.creators) or _unique(self.legacy_creators)

    def tidy(self) -> Signals:
        self.creators = _unique(self.creators)
        self.legacy_creators = _unique(self.legacy_creators)
        self.identities = _unique(self.identities)
        self.hints = {k: _unique(v) for k, v in self.hints.items() if v}
        self.also_accepts = _unique(self.also_accepts)
        self.feeds = _unique(self.feeds)
        return self
