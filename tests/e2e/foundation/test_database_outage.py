"""The service outlives its database: 503 with Retry-After while it is away, then recovery."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.service import free_port, http, running_service

pytestmark = pytest.mark.slow
SECANTUSD = str(Path(os.sys.executable).with_name("secantusd-py"))


def start_database(storage: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            SECANTUSD,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--storage-path",
            str(storage),
            "--log-level",
            "WARNING",
            "--sync-on-commit",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def basic(email: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()}


def test_external_database_goes_away_and_comes_back(tmp_path):
    storage, port = tmp_path / "db", free_port()
    database = start_database(storage, port)
    env = {"MONGODB_URI": f"mongodb://127.0.0.1:{port}/?directConnection=true"}
    try:
        with running_service(tmp_path / "var", "--no-crawler", env=env) as service:
            status, _, _ = http(
                "POST",
                service.url + "/api/v1/accounts",
                {
                    "email": "eve@example.org",
                    "password": "a long passphrase",
                    "display_name": "Eve",
                },
            )
            assert status == 201
            status, _, body = http(
                "POST",
                service.url + "/api/v1/tokens",
                {"scope": "full"},
                headers=basic("eve@example.org", "a long passphrase"),
            )
            token = json.loads(body)["token"]
            bearer = {"Authorization": f"Bearer {token}"}

            database.send_signal(signal.SIGKILL)
            database.wait()

            status, headers, body = http("GET", service.url + "/readyz")
            assert status == 503 and headers.get("Retry-After")
            for method, path, payload, auth in [
                ("GET", "/api/v1/tokens", None, bearer),
                (
                    "POST",
                    "/api/v1/accounts",
                    {
                        "email": "x@example.org",
                        "password": "a long passphrase",
                        "display_name": "X",
                    },
                    {},
                ),
            ]:
                status, headers, body = http(method, service.url + path, payload, headers=auth)
                assert status == 503, body
                assert headers.get("Retry-After")
                assert json.loads(body)["error"]["code"] == "database_unavailable"
            assert http("GET", service.url + "/healthz")[0] == 200

            database = start_database(storage, port)
            wait_for(lambda: http("GET", service.url + "/readyz")[0] == 200, 60, "readiness")
            status, _, body = http("GET", service.url + "/api/v1/tokens", headers=bearer)
            assert status == 200, body

            # A database that hangs instead of going away: a bounded wait, then 503.
            database.send_signal(signal.SIGSTOP)
            try:
                status, headers, body = http(
                    "GET", service.url + "/api/v1/tokens", headers=bearer, timeout=40
                )
                assert status == 503 and headers.get("Retry-After"), body
            finally:
                database.send_signal(signal.SIGCONT)
            wait_for(lambda: http("GET", service.url + "/readyz")[0] == 200, 60, "readiness")
            log = service.log()
        assert not re.search(r" 500 ", log), "no request may be answered 500"
    finally:
        database.kill()
        database.wait()


def test_embedded_database_is_restarted_when_it_dies(tmp_path):
    data = tmp_path / "var"
    with running_service(data, "--no-crawler") as service:
        status, _, _ = http(
            "POST",
            service.url + "/api/v1/accounts",
            {"email": "kim@example.org", "password": "a long passphrase", "display_name": "Kim"},
        )
        assert status == 201
        first = json.loads((data / "secantusd.json").read_text())["pid"]
        os.kill(first, signal.SIGKILL)

        def restarted():
            try:
                pid = json.loads((data / "secantusd.json").read_text())["pid"]
            except (OSError, ValueError):
                return None
            return pid if pid != first and http("GET", service.url + "/readyz")[0] == 200 else None

        wait_for(restarted, 60, "the database to be restarted")
        status, _, body = http(
            "POST",
            service.url + "/api/v1/tokens",
            {"scope": "full"},
            headers=basic("kim@example.org", "a long passphrase"),
        )
        assert status == 201, body
        assert "restarting" in service.log()
