"""A real DNS server on loopback for tests: Debian's Knot (`knotd`), driven with `knotc`.

It serves the root zone, so any name (`_omniflattr-challenge.example.org`, ...) can be
given records without delegations. Records are added and removed while it runs with
`knotc zone-begin / zone-set / zone-unset / zone-commit`; our code queries it over the DNS
protocol through `OMNIFLATTR_DNS_NAMESERVERS` (`Settings.dns_nameservers`).

Use the session fixture in a conftest: `from tests.support.dns import dns_server  # noqa`.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT_ZONE = """$TTL 60
. SOA ns.test. hostmaster.test. 1 3600 600 86400 1
. NS ns.test.
"""

CONFIG = """server:
    rundir: "{dir}"
    listen: 127.0.0.1@{port}
database:
    storage: "{dir}/db"
control:
    listen: "{dir}/knot.sock"
    timeout: 10
log:
  - target: stderr
    any: error
template:
  - id: default
    storage: "{dir}/zones"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
  - domain: .
    file: "root.zone"
"""


class DnsError(RuntimeError):
    pass


def _free_udp_tcp_port() -> int:
    while True:
        with socket.socket() as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                udp.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fqdn(name: str) -> str:
    return name.rstrip(".") + "."


class DnsServer:
    def __init__(self, workdir: Path, port: int, process: subprocess.Popen) -> None:
        self.workdir = workdir
        self.port = port
        self.process = process
        self.socket = str(workdir / "knot.sock")

    @property
    def nameserver(self) -> str:
        """The value for OMNIFLATTR_DNS_NAMESERVERS."""
        return f"127.0.0.1:{self.port}"

    @property
    def nameservers(self) -> tuple[tuple[str, int], ...]:
        """The value for Settings.dns_nameservers."""
        return (("127.0.0.1", self.port),)

    def knotc(self, *args: str, check: bool = True) -> str:
        proc = subprocess.run(
            ["knotc", "-s", self.socket, "-t", "10", *args],
            capture_output=True,
            text=True,
            timeout=20,
        )
        out = (proc.stdout + proc.stderr).strip()
        if check and (proc.returncode != 0 or "error" in out.lower()):
            raise DnsError(f"knotc {' '.join(args)}: {out}")
        return out

    def _change(self, unset: list[tuple[str, ...]], add: list[tuple[str, ...]]) -> None:
        self.knotc("zone-begin", ".")
        try:
            for args in unset:
                self.knotc("zone-unset", ".", *args, check=False)  # absent is fine
            for args in add:
                self.knotc("zone-set", ".", *args)
            self.knotc("zone-commit", ".")
        except Exception:
            self.knotc("zone-abort", ".", check=False)
            raise

    def set_txt(self, name: str, *values: str, ttl: int = 1) -> None:
        """Replace every TXT record at `name` with these values (none: remove them)."""
        fqdn = _fqdn(name)
        self._change([(fqdn, "TXT")], [(fqdn, str(ttl), "TXT", _quote(v)) for v in values])

    def set_cname(self, name: str, target: str, ttl: int = 1) -> None:
        fqdn = _fqdn(name)
        self._change([(fqdn,)], [(fqdn, str(ttl), "CNAME", _fqdn(target))])

    def remove(self, name: str, rtype: str | None = None) -> None:
        fqdn = _fqdn(name)
        self._change([(fqdn, rtype) if rtype else (fqdn,)], [])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def running_dns_server(workdir: Path | None = None) -> Iterator[DnsServer]:
    """Start knotd on 127.0.0.1:<free port> with an empty root zone; stop it afterwards."""
    if shutil.which("knotd") is None or shutil.which("knotc") is None:
        raise DnsError("knotd/knotc are missing: install Debian's knot (scripts/system-deps)")
    own_dir = workdir is None
    # The control socket path must stay short (a UNIX socket path has ~100 bytes).
    directory = Path(tempfile.mkdtemp(prefix="knot-")) if own_dir else workdir
    (directory / "zones").mkdir(parents=True, exist_ok=True)
    (directory / "db").mkdir(exist_ok=True)
    (directory / "zones" / "root.zone").write_text(ROOT_ZONE)
    port = _free_udp_tcp_port()
    config = directory / "knot.conf"
    config.write_text(CONFIG.format(dir=directory, port=port))
    log = open(directory / "knotd.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(["knotd", "-c", str(config)], stdout=log, stderr=subprocess.STDOUT)
    server = DnsServer(directory, port, process)
    try:
        deadline = time.monotonic() + 20
        while "serial: 1" not in server.knotc("zone-status", ".", check=False):
            if process.poll() is not None or time.monotonic() > deadline:
                raise DnsError(
                    "knotd did not start: " + (directory / "knotd.log").read_text(errors="replace")
                )
            time.sleep(0.05)
        yield server
    finally:
        server.stop()
        log.close()
        if own_dir:
            shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def dns_server() -> Iterator[DnsServer]:
    with running_dns_server() as server:
        yield server
