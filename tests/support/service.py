"""Run `omniflattr serve` (and other `omniflattr` commands) as real subprocesses."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_env(data_dir: Path, port: int, extra: Mapping[str, str] | None = None) -> dict:
    """A clean environment for a service subprocess: test env, its own data dir and port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OMNIFLATTR_", "MONGODB_"))}
    env.update(
        OMNIFLATTR_ENV="test",
        OMNIFLATTR_DATA_DIR=str(data_dir),
        OMNIFLATTR_PORT=str(port),
        OMNIFLATTR_HOST="127.0.0.1",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra or {})
    return env


def omniflattr(*args: str, env: Mapping[str, str], timeout: float = 120, **kw):
    """Run one `omniflattr` command to completion (python -m registry_service)."""
    return subprocess.run(
        [sys.executable, "-m", "registry_service", *args],
        env=dict(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def http(
    method: str,
    url: str,
    body: object = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, dict, bytes]:
    """A tiny blocking HTTP client: (status, headers, body)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@dataclass
class ServiceProcess:
    proc: subprocess.Popen
    url: str
    data_dir: Path
    env: dict
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the service exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if http("GET", self.url + "/readyz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the service was not ready within {timeout} s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise


@contextmanager
def running_service(
    data_dir: Path, *args: str, env: Mapping[str, str] | None = None, ready: bool = True
) -> Iterator[ServiceProcess]:
    """`omniflattr serve` on the embedded database (unless env sets MONGODB_URI)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    full_env = service_env(data_dir, port, env)
    log_path = data_dir / f"serve-{port}.log"
    with open(log_path, "ab") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "registry_service", "serve", *args],
            env=full_env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    service = ServiceProcess(proc, f"http://127.0.0.1:{port}", data_dir, full_env, log_path)
    try:
        if ready:
            service.wait_ready()
        yield service
    finally:
        if proc.poll() is None:
            service.stop()


def wait_for_indexes(service, timeout: float = 60) -> None:
    """Wait until the service has created every index. SecantusDB can stall when a first
    write to a collection races the creation of that collection by createIndexes."""
    import pymongo

    from registry_service.store.schema import ALL_INDEXES

    state = json.loads((service.data_dir / "secantusd.json").read_text())
    client = pymongo.MongoClient(
        f"mongodb://127.0.0.1:{state['port']}/?directConnection=true", serverSelectionTimeoutMS=5000
    )
    wanted = {(collection, index.document["name"]) for collection, index in ALL_INDEXES}
    deadline = time.monotonic() + timeout
    try:
        while True:
            db = client[service.env.get("OMNIFLATTR_DB_NAME", "omniflattr")]
            have = {
                (c, name) for c in db.list_collection_names() for name in db[c].index_information()
            }
            if wanted <= have:
                return
            assert time.monotonic() < deadline, f"indexes missing: {sorted(wanted - have)}"
            time.sleep(0.1)
    finally:
        client.close()
