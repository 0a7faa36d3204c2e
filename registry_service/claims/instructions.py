"""What a creator must publish, method by method, for their claim of a key."""

from __future__ import annotations

from registry_service.claims.keys import ClaimKey
from registry_service.claims.methods import dns, https_file, meta_tag
from registry_service.claims.proofs import adapter_for
from registry_service.claims.proofs.mastodon import creator_page
from registry_service.context import Context


def instructions(context: Context, key: ClaimKey, token: str, handle: str) -> list[dict]:
    if key.is_domain:
        return _domain(key, token)
    if key.namespace == "flattr":
        return [
            {
                "method": "legacy_meta",
                "title": "Your domain's legacy Flattr tag",
                "text": (
                    f"Verify a domain you own first, and keep "
                    f'<meta name="flattr:id" content="{key.id}"> in the <head> of its home page.'
                ),
            }
        ]
    adapter = adapter_for(key.namespace)
    if adapter is None:
        return []
    where = adapter.where.format(id=key.id, me=creator_page(context, handle))
    steps = [
        {
            "method": "profile",
            "title": f"Your {adapter.label} profile",
            "text": f"Put this token in {where}: {token}",
            "token": token,
            "urls": [s.url for s in adapter.sources(key.id)],
        }
    ]
    me = adapter.rel_me_target(context, handle)
    if me is not None:
        steps.append(
            {
                "method": "rel_me",
                "title": "A link back to your page here",
                "text": f"Or add {me} to your profile's links (fields); the link counts when "
                'it is marked rel="me", as Mastodon does for profile fields.',
                "link": me,
            }
        )
    return steps


def _domain(key: ClaimKey, token: str) -> list[dict]:
    host = key.domain.host
    names = [dns.record_name(h) for h in key.domain.parents()]
    also = (
        f" A record at {names[-1]} works too and proves every subdomain."
        if len(names) > 1
        else " It proves this domain and every subdomain."
    )
    return [
        {
            "method": "dns",
            "title": "DNS TXT record",
            "record": {"name": names[0], "type": "TXT", "value": dns.record_value(token)},
            "text": f"Add a TXT record at {names[0]} with the value {dns.record_value(token)}."
            + also,
        },
        {
            "method": "https_file",
            "title": "A file on your site",
            "urls": https_file.file_urls(host),
            "body": token + "\n",
            "text": (
                f"Serve a file at {https_file.file_urls(host)[0]} (or, if your site generator "
                f"drops dot-folders, {https_file.file_urls(host)[1]}) with your token on a line "
                f"of its own. It proves {host}."
            ),
        },
        {
            "method": "meta_tag",
            "title": "A meta tag on your home page",
            "url": meta_tag.home_url(host),
            "tag": meta_tag.meta_tag(token),
            "text": (
                f"Put {meta_tag.meta_tag(token)} in the <head> of {meta_tag.home_url(host)}. "
                f"It proves {host}."
            ),
        },
    ]
