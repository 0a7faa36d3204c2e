"""A SecantusDB server process of its own for a benchmark run (never the service's)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from registry_service.store.embedded import EMBEDDED_URI_OPTIONS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_database(storage: str) -> tuple[subprocess.Popen, str]:
    """Start `secantusd-py` on a free loopback port over `storage`; (process, URI)."""
    program = Path(sys.executable).with_name("secantusd-py")
    port = free_port()
    proc = subprocess.Popen(
        [
            str(program),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--storage-path",
            storage,
            "--log-level",
            "WARNING",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"mongodb://127.0.0.1:{port}/?{EMBEDDED_URI_OPTIONS}"


@contextlib.contextmanager
def own_database(prefix: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """A database process over a fresh temporary directory for the `with` block; (process,
    URI). Stopped and its directory removed afterwards."""
    storage = tempfile.mkdtemp(prefix=prefix)
    proc, uri = start_database(storage)
    try:
        yield proc, uri
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(storage, ignore_errors=True)
