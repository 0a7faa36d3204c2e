"""`omniflattr serve` as a real subprocess on the embedded database."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.support.service import ROOT, free_port, http, omniflattr, running_service, service_env

pytestmark = pytest.mark.slow


def _children(pid: int) -> set[int]:
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _basic(email: str, password: str) -> dict:
    raw = base64.b64encode(f"{email}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def test_serve_stops_cleanly_and_keeps_data(tmp_path):
    data = tmp_path / "var"
    with running_service(data) as service:
        db_pid = json.loads((data / "secantusd.json").read_text())["pid"]
        assert db_pid in _children(service.proc.pid)
        status, _, body = http(
            "POST",
            service.url + "/api/v1/accounts",
            {"email": "ada@example.org", "password": "a long passphrase", "display_name": "Ada"},
        )
        assert status == 201, body
        started = time.monotonic()
        assert service.stop(signal.SIGTERM) == 0
        assert time.monotonic() - started < 10
        assert not _alive(db_pid), "the database process outlived the service"
        assert not (data / "secantusd.json").exists()

    with running_service(data) as service:
        status, _, body = http(
            "POST",
            service.url + "/api/v1/tokens",
            {"scope": "full"},
            headers=_basic("ada@example.org", "a long passphrase"),
        )
        assert status == 201, body
        # SIGINT stops it as cleanly as SIGTERM.
        db_pid = json.loads((data / "secantusd.json").read_text())["pid"]
        assert service.stop(signal.SIGINT) == 0
        assert not _alive(db_pid)


def test_cli_commands_share_the_running_services_database(tmp_path):
    data = tmp_path / "var"
    with running_service(data) as service:
        status, _, _ = http(
            "POST",
            service.url + "/api/v1/accounts",
            {"email": "root@example.org", "password": "a long passphrase", "display_name": "Root"},
        )
        assert status == 201
        db_pid = json.loads((data / "secantusd.json").read_text())["pid"]
        done = omniflattr("admin", "grant", "root@example.org", env=service.env)
        assert done.returncode == 0, done.stderr
        assert "root@example.org is now an administrator" in done.stdout
        # The command used the service's database process and left it running.
        assert json.loads((data / "secantusd.json").read_text())["pid"] == db_pid
        assert _alive(db_pid)
        status, _, _ = http("GET", service.url + "/readyz")
        assert status == 200


def test_cli_starts_the_database_itself_when_no_service_runs(tmp_path):
    env = service_env(tmp_path / "var", free_port())
    done = omniflattr("admin", "grant", "nobody@example.org", env=env)
    assert done.returncode == 1
    assert "no account with the email nobody@example.org" in done.stderr
    assert not (tmp_path / "var" / "secantusd.json").exists(), "its database should be stopped"


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("OMNIFLATTR_PORT", "eighty", "OMNIFLATTR_PORT: 'eighty' is not a whole number"),
        ("OMNIFLATTR_ENV", "staging", "OMNIFLATTR_ENV: 'staging' is not one of prod, dev, test"),
        ("MONGODB_URI", "postgres://x", "MONGODB_URI: must start with mongodb://"),
    ],
)
def test_bad_configuration_is_one_clear_line_and_exit_2(tmp_path, variable, value, says):
    env = service_env(tmp_path / "var", free_port(), {variable: value})
    done = omniflattr("serve", env=env, timeout=30)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], done.stderr


@pytest.mark.parametrize("command", [("serve",), ("settle", "--month", "2026-10")])
def test_an_unusable_data_directory_is_named_with_exit_2(tmp_path, command):
    (tmp_path / "a-file").write_text("")
    env = service_env(tmp_path / "a-file" / "var", free_port())
    done = omniflattr(*command, env=env, timeout=30)
    assert done.returncode == 2
    assert "the data directory" in done.stderr and "OMNIFLATTR_DATA_DIR" in done.stderr
    assert "Traceback" not in done.stderr and "cannot listen" not in done.stderr


def test_fixed_clock_is_refused_in_production(tmp_path):
    env = service_env(
        tmp_path / "var",
        free_port(),
        {"OMNIFLATTR_ENV": "prod", "OMNIFLATTR_NOW": "2026-11-15T12:00:00Z"},
    )
    done = omniflattr("serve", env=env, timeout=30)
    assert done.returncode == 2
    assert "OMNIFLATTR_NOW" in done.stderr and "dev or test" in done.stderr


def test_log_json_writes_one_object_a_line(tmp_path):
    port = free_port()
    env = service_env(tmp_path / "var", port)
    proc = subprocess.Popen(
        [sys.executable, "-m", "registry_service", "--log-json", "serve", "--no-crawler"],
        env=env,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if http("GET", f"http://127.0.0.1:{port}/readyz", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert http("GET", f"http://127.0.0.1:{port}/healthz")[0] == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) >= 2
    for line in lines:
        entry = json.loads(line)
        assert {"time", "level", "logger", "message"} <= entry.keys()
    assert any(e.get("path") == "/healthz" for e in map(json.loads, lines))
