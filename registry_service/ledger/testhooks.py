"""A test-only crash hook: SIGKILL this process right after its N-th effective ledger write.

Writes that changed nothing (a re-run redoing finished work) are not counted, so a
chain of runs each killed after its first write stops once at every point of progress.

Armed from `OMNIFLATTR_TEST_KILL_AFTER_WRITES=N` by the ledger's commands, and refused
unless OMNIFLATTR_ENV is test: crash tests kill `omniflattr settle` at chosen points.
"""

from __future__ import annotations

import os
import signal

ENV_VAR = "OMNIFLATTR_TEST_KILL_AFTER_WRITES"

_kill_after: int | None = None
_writes = 0


class HookRefused(RuntimeError):
    pass


def arm_from_environment(app_env: str) -> None:
    global _kill_after, _writes
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return
    if app_env != "test":
        raise HookRefused(f"{ENV_VAR} is a test hook; it is refused unless OMNIFLATTR_ENV=test")
    _kill_after, _writes = int(raw), 0


def note_write(changed: bool = True) -> None:
    """Call after each write of ledger state; `changed`: it changed something."""
    global _writes
    if _kill_after is None or not changed:
        return
    _writes += 1
    if _writes >= _kill_after:
        os.kill(os.getpid(), signal.SIGKILL)
