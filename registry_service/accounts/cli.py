"""`omniflattr admin ...`: operators' commands on accounts."""

from __future__ import annotations

import argparse
import sys

from registry_service.cli.runner import run_with_context
from registry_service.config import Settings
from registry_service.context import Context


def add_commands(commands: argparse._SubParsersAction) -> None:
    admin = commands.add_parser("admin", help="operators' commands on accounts")
    actions = admin.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, text in (
        ("grant", "make an account an administrator"),
        ("revoke", "take administrator rights away"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("email")
        action.set_defaults(run=_set_admin, admin=name == "grant")


def _set_admin(args: argparse.Namespace, settings: Settings) -> int:
    async def work(context: Context) -> int:
        email = args.email.strip().lower()
        result = await context.db.accounts.update_one(
            {"email": email}, {"$set": {"is_admin": args.admin}}
        )
        if result.matched_count == 0:
            print(f"omniflattr: there is no account with the email {email}", file=sys.stderr)
            return 1
        print(f"{email} is now {'an administrator' if args.admin else 'a regular account'}")
        return 0

    return run_with_context(settings, work, log_json=args.log_json)
