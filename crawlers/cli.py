"""``omniflattr crawl``: a standalone crawl worker process."""

from __future__ import annotations

import argparse


def add_commands(commands: argparse._SubParsersAction) -> None:
    pass
