"""The embedded database: SecantusDB run as a separate process for a data directory.

`secantusd-py` is a MongoDB wire-protocol server (GPL-2.0-only), so it is run as
its own program, never imported. For one data directory there is at most one
database process; its pid and port are written to `<data_dir>/secantusd.json`
so that every `omniflattr` command on that directory (the service, `settle`,
`resolve`, ...) talks to the same one. Whoever starts it owns it: the owner
restarts it if it dies (with backoff) and stops it on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import errno
import fcntl
import json
import logging
import os
import shutil
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from registry_service.store.database import open_client, ping

log = logging.getLogger("omniflattr.embedded_db")

# No retryable writes on the embedded server: it keeps a record of every retryable write
# and scans them all on each new one (its per-insert CPU grew tenfold over 10,000 writes,
# measured), and a write to our own child process over loopback has no failover to retry
# across. Every ledger write is idempotent by its own key anyway.
EMBEDDED_URI_OPTIONS = "directConnection=true&retryWrites=false"
STATE_FILE = "secantusd.json"
LOCK_FILE = "secantusd.lock"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 8.0


class EmbeddedDatabaseError(RuntimeError):
    pass


def _server_program() -> str:
    beside = Path(sys.executable).with_name("secantusd-py")
    if beside.exists():
        return str(beside)
    found = shutil.which("secantusd-py")
    if not found:
        raise EmbeddedDatabaseError(
            "secantusd-py was not found: install the embedded database with "
            "pip install 'omniflattr[embedded]', or set MONGODB_URI"
        )
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        # As a listening server binds: connections of a dead process in TIME_WAIT do not count.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM
    # A zombie child still answers kill(0); check its state.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def _die_with_parent() -> None:  # runs in the child between fork and exec
    os.setsid()
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: no orphan if we are killed


@dataclass
class Endpoint:
    pid: int
    port: int

    @property
    def uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?{EMBEDDED_URI_OPTIONS}"


class EmbeddedDatabase:
    """Finds or starts the database process for `data_dir`."""

    def __init__(self, data_dir: Path, *, extra_args: tuple[str, ...] = ()) -> None:
        self.data_dir = data_dir.resolve()
        self.storage = self.data_dir / "db"
        self.extra_args = extra_args
        self.process: asyncio.subprocess.Process | None = None
        self.port: int | None = None
        self._stopping = False
        self._supervisor: asyncio.Task | None = None
        self.restarts = 0

    @property
    def owned(self) -> bool:
        return self.process is not None

    @property
    def uri(self) -> str:
        assert self.port is not None
        return Endpoint(0, self.port).uri

    def _read_state(self) -> Endpoint | None:
        try:
            data = json.loads((self.data_dir / STATE_FILE).read_text())
            return Endpoint(int(data["pid"]), int(data["port"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write_state(self, endpoint: Endpoint) -> None:
        tmp = self.data_dir / (STATE_FILE + ".tmp")
        tmp.write_text(
            json.dumps({"pid": endpoint.pid, "port": endpoint.port, "owner": os.getpid()})
        )
        tmp.replace(self.data_dir / STATE_FILE)

    async def start(self) -> str:
        """Attach to the running database for this directory, or start one. Returns its URI."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            lock = await asyncio.to_thread(self._lock)
        except OSError as exc:
            raise EmbeddedDatabaseError(
                f"the data directory {self.data_dir} (OMNIFLATTR_DATA_DIR) cannot be used: "
                f"{exc.strerror or exc}"
            ) from None
        try:
            state = self._read_state()
            if state and _pid_alive(state.pid) and await self._answers(state.port, 3.0):
                self.port = state.port
                log.info("using the database process %s on port %s", state.pid, state.port)
            else:
                port = state.port if state and _port_is_free(state.port) else _free_port()
                await self._spawn(port)
        finally:
            lock.close()
        # Attached processes watch too: if the owner goes, one of them starts a new database.
        self._supervisor = asyncio.create_task(self._supervise(), name="embedded-db-supervisor")
        return self.uri

    def _lock(self):
        f = open(self.data_dir / LOCK_FILE, "a+")  # noqa: SIM115 - held until closed
        fcntl.flock(f, fcntl.LOCK_EX)
        return f

    async def _answers(self, port: int, within_s: float) -> bool:
        ms = int(within_s * 1000)
        client = open_client(Endpoint(0, port).uri, serverSelectionTimeoutMS=ms)
        try:
            return await ping(client, ms)
        finally:
            await client.close()

    async def _spawn(self, port: int) -> None:
        self.storage.mkdir(parents=True, exist_ok=True)
        log_path = self.data_dir / "secantusd.log"
        args = [
            _server_program(),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--storage-path",
            str(self.storage),
            "--log-level",
            "WARNING",
            # Money lives here: a commit is on disk before it is acknowledged, so a crash
            # (even SIGKILL) loses nothing that was answered as done.
            "--sync-on-commit",
            *self.extra_args,
        ]
        with open(log_path, "ab") as log_file:  # noqa: ASYNC230 - a local file, opened once
            self.process = await asyncio.create_subprocess_exec(
                *args,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log_file,
                stderr=log_file,
                preexec_fn=_die_with_parent,
            )
        self.port = port
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT_S
        while loop.time() < deadline:
            if self.process.returncode is not None:
                tail = log_path.read_text(errors="replace")[-600:]
                self.process = None
                raise EmbeddedDatabaseError(
                    f"the embedded database exited at start (see {log_path}): {tail.strip()}"
                )
            if await self._answers(port, 0.5):
                self._write_state(Endpoint(self.process.pid, port))
                log.info(
                    "embedded database started: pid %s, port %s, data %s",
                    self.process.pid,
                    port,
                    self.storage,
                )
                return
            await asyncio.sleep(0.1)
        await self._terminate()
        raise EmbeddedDatabaseError(
            f"the embedded database did not answer within {START_TIMEOUT_S:.0f} s"
        )

    async def _supervise(self) -> None:
        """Restart the database if it dies; an attached process takes over when the owner went."""
        delay = 0.5
        while not self._stopping:
            if self.process is not None:
                await self.process.wait()
                if self._stopping:
                    return
                log.error(
                    "the embedded database (pid %s) exited with %s; restarting in %.1f s",
                    self.process.pid,
                    self.process.returncode,
                    delay,
                )
                self.process = None
            else:
                await asyncio.sleep(1.0)
                state = self._read_state()
                if state and _pid_alive(state.pid):
                    continue
                log.warning("the database process for %s is gone; starting one", self.data_dir)
            await asyncio.sleep(delay)
            try:
                lock = await asyncio.to_thread(self._lock)
                try:
                    state = self._read_state()
                    if state and _pid_alive(state.pid) and await self._answers(state.port, 3.0):
                        continue  # someone else restarted it
                    # Same port: every client already holds this address.
                    port = self.port or _free_port()
                    if not _port_is_free(port):
                        raise EmbeddedDatabaseError(f"port {port} is taken by another program")
                    await self._spawn(port)
                    self.restarts += 1
                    delay = 0.5
                finally:
                    lock.close()
            except Exception as exc:  # keep trying, with backoff
                log.error("restarting the embedded database failed: %s", exc)
                delay = min(delay * 2, 30.0)

    async def _terminate(self) -> None:
        proc = self.process
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            log.warning(
                "the embedded database did not stop within %.0f s; killing it", STOP_TIMEOUT_S
            )
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()

    async def stop(self) -> None:
        self._stopping = True
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
        if self.process is not None:
            await self._terminate()
            state = self._read_state()
            if state and state.pid == self.process.pid:
                with contextlib.suppress(OSError):
                    (self.data_dir / STATE_FILE).unlink()
            log.info("embedded database stopped")
            self.process = None
