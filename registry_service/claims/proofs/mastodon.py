"""Mastodon and the fediverse: the token in the bio or a profile field, or a profile field
linking with rel="me" to the creator's page on this service (the check Mastodon itself
uses for verified links). Read through the Mastodon API (also served by Pleroma, Akkoma and
GoToSocial), then the profile page's own description."""

from __future__ import annotations

from registry_service.claims.proofs.base import META_DESCRIPTIONS, ProofAdapter, Source, q
from registry_service.context import Context


class Mastodon(ProofAdapter):
    namespace = "mastodon"
    label = "Mastodon (fediverse)"
    where = (
        "your fediverse bio or a profile field, or a profile field linking to {me} "
        '(Mastodon marks such links rel="me")'
    )

    def sources(self, ident: str) -> list[Source]:
        user, _, instance = ident.partition("@")
        return [
            Source(
                f"https://{instance}/api/v1/accounts/lookup?acct={q(user)}",
                "the fediverse profile",
                kind="json",
                places=("note", "fields[].name", "fields[].value"),
                identity=("acct", user),  # a local account: acct has no @server part
                headers={"Accept": "application/json"},
            ),
            Source(
                f"https://{instance}/@{q(user)}",
                "the fediverse profile page",
                places=META_DESCRIPTIONS,
            ),
        ]

    def rel_me_target(self, context: Context, handle: str) -> str | None:
        return creator_page(context, handle)


def creator_page(context: Context, handle: str) -> str:
    return f"{context.settings.base_url}/@{handle}"
