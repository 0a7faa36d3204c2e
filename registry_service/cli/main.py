"""`omniflattr`: the command line. Each domain adds its own commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from crawlers import cli as crawler_cli
from registry_service.accounts import cli as accounts_cli
from registry_service.claims import cli as claims_cli
from registry_service.cli import serve
from registry_service.config import ConfigError, load_settings
from registry_service.ledger import cli as ledger_cli
from registry_service.resolve import cli as resolve_cli

COMMAND_GROUPS = (serve, accounts_cli, resolve_cli, ledger_cli, claims_cli, crawler_cli)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="omniflattr",
        description="Omniflattr: flattr any page. Configuration comes from OMNIFLATTR_* "
        "environment variables (see the README).",
    )
    parser.add_argument("--log-json", action="store_true", help="log one JSON object a line")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"omniflattr: configuration error: {exc}", file=sys.stderr)
        return 2
    return int(args.run(args, settings) or 0)
