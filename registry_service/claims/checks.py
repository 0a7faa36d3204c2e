"""Running every method that fits a key, for one claim's token, and collecting the findings."""

from __future__ import annotations

import asyncio

from bson import ObjectId

from registry_service.claims import store
from registry_service.claims.findings import CheckResult
from registry_service.claims.keys import ClaimKey, KeyRuleError
from registry_service.claims.methods.dns import check_dns
from registry_service.claims.methods.https_file import check_https_file
from registry_service.claims.methods.legacy import check_legacy
from registry_service.claims.methods.meta_tag import check_meta_tag
from registry_service.claims.proofs import adapter_for
from registry_service.claims.proofs.base import check_platform
from registry_service.context import Context


def ensure_provable(key: ClaimKey) -> None:
    """Refuse keys no method can prove yet, before anyone publishes a token for nothing."""
    if key.is_domain or key.namespace == "flattr":
        return
    if adapter_for(key.namespace) is None:
        label = key.platform.label if key.platform else key.namespace
        raise KeyRuleError(
            "no_proof_method",
            f"{label} keys cannot be proved yet: {label} shows no public profile text we can "
            "read without signing in. Claim a domain or another platform account instead.",
        )


async def run_checks(
    context: Context,
    key: ClaimKey,
    token: str,
    *,
    account_id: ObjectId,
    handle: str | None,
    proof_url: str | None = None,
) -> CheckResult:
    if key.is_domain:
        host = key.domain.host
        parents = set(key.domain.parents()[1:])
        parent_tokens = {}
        if parents:  # the account's own verified parent domains prove their subdomains
            for claim in await store.verified_domain_claims_of(context.db, account_id):
                parent = claim["key"].split(":", 1)[1]
                if parent in parents:
                    parent_tokens[parent] = claim["token"]
        parts = await asyncio.gather(
            check_dns(context.settings, key.domain, token, parent_tokens),
            check_https_file(context, host, token),
            check_meta_tag(context, host, token),
        )
        return CheckResult(tuple(f for part in parts for f in part))
    if key.namespace == "flattr":
        claims = await store.verified_domain_claims_of(context.db, account_id)
        hosts = sorted({c["key"].split(":", 1)[1] for c in claims})
        return CheckResult(tuple(await check_legacy(context, key.id, hosts)))
    adapter = adapter_for(key.namespace)
    if adapter is None:
        return CheckResult(())
    findings = await check_platform(
        context, adapter, key.id, token, handle=handle, proof_url=proof_url
    )
    return CheckResult(tuple(findings))
