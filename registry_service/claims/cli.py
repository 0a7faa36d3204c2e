"""`omniflattr claims ...`: re-check verified claims now; look at the claims of a key."""

from __future__ import annotations

import argparse
import json
import sys

from registry_service.cli.runner import run_with_context
from registry_service.config import Settings
from registry_service.context import Context


def add_commands(commands: argparse._SubParsersAction) -> None:
    claims = commands.add_parser("claims", help="claims: re-checks and inspection")
    actions = claims.add_subparsers(dest="action", required=True, metavar="ACTION")
    recheck = actions.add_parser(
        "recheck", help="re-check every verified claim that is due (lapsing missing proofs)"
    )
    recheck.add_argument("--limit", type=int, default=None, help="check at most this many")
    recheck.set_defaults(run=_recheck)
    show = actions.add_parser("show", help="the claims of a key, its owner and their history")
    show.add_argument("key")
    show.set_defaults(run=_show)


def _recheck(args: argparse.Namespace, settings: Settings) -> int:
    from registry_service.claims.rechecks import recheck_due

    async def work(context: Context) -> int:
        report = await recheck_due(context, limit=args.limit)
        print(
            f"re-checked {report.checked} claim(s): {report.passed} passed, "
            f"{report.failed} failed, {len(report.lapsed)} lapsed"
        )
        for key in report.lapsed:
            print(f"lapsed: {key}")
        return 0

    return run_with_context(settings, work, log_json=args.log_json)


def _show(args: argparse.Namespace, settings: Settings) -> int:
    from registry_service.claims import history, store
    from registry_service.claims.keys import KeyRuleError, parse_claim_key
    from registry_service.claims.views import claim_json

    async def work(context: Context) -> int:
        try:
            key = parse_claim_key(args.key).key
        except KeyRuleError as exc:
            print(f"omniflattr: {exc.message}", file=sys.stderr)
            return 2
        owner = await store.get_owner(context.db, key)
        claims = await store.claims_for_key(context.db, key)
        out = {
            "key": key,
            "owner": {
                "account_id": str(owner["account_id"]),
                "claim_id": str(owner["claim_id"]),
                "since": owner["since"].isoformat(),
                "declined": bool(owner.get("declined")),
            }
            if owner
            else None,
            "claims": [],
        }
        for claim in claims:
            view = claim_json(context, claim, owner_view=False)
            view["history"] = [
                history.event_json(e, hide_token=claim["token"])
                for e in await store.events_of(context.db, claim["_id"])
            ]
            out["claims"].append(view)
        print(json.dumps(out, indent=2))
        return 0

    return run_with_context(settings, work, log_json=args.log_json)
