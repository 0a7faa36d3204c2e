"""`omniflattr settle`, `omniflattr escrow expire|release-claimed`, `omniflattr reconcile`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from registry_service.api.errors import ApiError
from registry_service.cli.runner import run_with_context
from registry_service.config import Settings
from registry_service.context import Context
from registry_service.ledger import escrow, settlement, testhooks
from registry_service.ledger.reconcile import reconcile

log = logging.getLogger("omniflattr.ledger")


def add_commands(commands: argparse._SubParsersAction) -> None:
    settle = commands.add_parser("settle", help="settle a past month (resumable, idempotent)")
    settle.add_argument("--month", required=True, help="the month to settle, YYYY-MM")
    settle.add_argument(
        "--batch-size", type=int, default=settlement.DEFAULT_BATCH, help="funders per batch"
    )
    settle.set_defaults(run=_settle)

    escrow_cmd = commands.add_parser("escrow", help="escrow for unclaimed keys")
    actions = escrow_cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("expire", help="refund lots older than the escrow period").set_defaults(
        run=_expire
    )
    actions.add_parser(
        "sweep", help="release escrow of claimed keys, refund declined keys"
    ).set_defaults(run=_sweep)

    check = commands.add_parser("reconcile", help="check every invariant of the ledger")
    check.set_defaults(run=_reconcile)


def _arm(settings: Settings) -> int | None:
    try:
        testhooks.arm_from_environment(settings.env)
    except testhooks.HookRefused as exc:
        print(f"omniflattr: {exc}", file=sys.stderr)
        return 2
    return None


class _Progress:
    """A progress bar on a terminal, a log line now and then otherwise."""

    def __init__(self, month: str) -> None:
        self.month = month
        self.bar = None
        self.last_log = 0.0
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(desc=f"settling {month}", unit="funder", file=sys.stderr)

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.total = total
            self.bar.n = done
            self.bar.refresh()
            return
        now = time.monotonic()
        if done in (0, total) or now - self.last_log >= 5.0:
            self.last_log = now
            log.info("settling %s: %d of %d funders", self.month, done, total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _settle(args: argparse.Namespace, settings: Settings) -> int:
    refused = _arm(settings)
    if refused:
        return refused

    async def work(context: Context) -> int:
        progress = _Progress(args.month)
        try:
            summary = await settlement.settle(
                context, args.month, batch_size=args.batch_size, progress=progress
            )
        except ApiError as exc:
            print(f"omniflattr: {exc.message}", file=sys.stderr)
            return 1
        finally:
            progress.close()
        print(json.dumps(summary, indent=2))
        return 0

    return run_with_context(settings, work, log_json=args.log_json)


def _expire(args: argparse.Namespace, settings: Settings) -> int:
    refused = _arm(settings)
    if refused:
        return refused

    async def work(context: Context) -> int:
        keys, cents = await escrow.expire_escrow(context)
        print(f"returned {cents} cents of expired escrow from {keys} keys to their funders")
        return 0

    return run_with_context(settings, work, log_json=args.log_json)


def _sweep(args: argparse.Namespace, settings: Settings) -> int:
    async def work(context: Context) -> int:
        released, refunded = await escrow.settle_owned_escrow(context)
        print(f"released {released} cents to claimed keys, refunded {refunded} cents")
        return 0

    return run_with_context(settings, work, log_json=args.log_json)


def _reconcile(args: argparse.Namespace, settings: Settings) -> int:
    async def work(context: Context) -> int:
        problems = await reconcile(context, report=print)
        if problems:
            print(f"{len(problems)} problem(s) found", file=sys.stderr)
            return 1
        print("the ledger is consistent: every invariant holds")
        return 0

    return run_with_context(settings, work, log_json=args.log_json)
