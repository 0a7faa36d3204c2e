"""Shared fixtures: one real SecantusDB process per test session, a fresh database per test."""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pymongo
import pytest
from hypothesis import settings as hypothesis_settings

from registry_service.app import create_app
from registry_service.clock import Clock
from registry_service.config import Settings, load_settings
from registry_service.context import Context
from registry_service.store.database import open_client
from registry_service.store.embedded import EMBEDDED_URI_OPTIONS
from registry_service.store.schema import ensure_indexes

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"

# Per-example time limits fail on a busy machine without finding bugs; examples stay random.
hypothesis_settings.register_profile("omniflattr", deadline=None)
hypothesis_settings.load_profile("omniflattr")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def secantusd_program() -> str:
    beside = Path(sys.executable).with_name("secantusd-py")
    return str(beside) if beside.exists() else (shutil.which("secantusd-py") or "secantusd-py")


@pytest.fixture(scope="session")
def mongo_uri():
    """A SecantusDB server in its own process for the whole session (test commands on)."""
    external = os.environ.get("OMNIFLATTR_TEST_MONGODB_URI")
    if external:
        yield external
        return
    port = free_port()
    storage = tempfile.mkdtemp(prefix="omniflattr-testdb-")
    proc = subprocess.Popen(
        [
            secantusd_program(),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--storage-path",
            storage,
            "--log-level",
            "WARNING",
            "--enable-test-commands",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    uri = f"mongodb://127.0.0.1:{port}/?{EMBEDDED_URI_OPTIONS}"
    deadline = time.monotonic() + 60
    while True:
        try:
            pymongo.MongoClient(uri, serverSelectionTimeoutMS=300).admin.command("ping")
            break
        except pymongo.errors.PyMongoError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the test database did not start") from None
            time.sleep(0.1)
    yield uri
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(storage, ignore_errors=True)


@pytest.fixture
def db_name() -> str:
    return "t_" + uuid.uuid4().hex[:12]


def make_settings(**overrides) -> Settings:
    base = load_settings({"OMNIFLATTR_ENV": "test"})
    return dataclasses.replace(base, **overrides)


@pytest.fixture
def settings(mongo_uri, db_name, tmp_path) -> Settings:
    """Test settings on the session database; override fields with dataclasses.replace."""
    return make_settings(mongodb_uri=mongo_uri, db_name=db_name, data_dir=tmp_path / "var")


@pytest.fixture
async def context(settings):
    """A Context on a fresh database with indexes, for testing services without HTTP."""
    client = open_client(settings.mongodb_uri)
    ctx = Context(settings, Clock(settings.now), client, client[settings.db_name])
    await ensure_indexes(ctx.db)
    yield ctx
    await client.drop_database(settings.db_name)
    await client.close()


@pytest.fixture
async def api(aiohttp_client, settings):
    """An aiohttp test client on the whole application (no crawler inside)."""
    app = create_app(settings, run_crawler=False)
    return await aiohttp_client(app)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


async def new_account(
    api,
    email: str | None = None,
    password: str = "correct horse battery",
    display_name: str = "Alice",
    scope: str = "full",
) -> dict:
    """Create an account and a token through the API; returns {id, email, token, headers}."""
    import aiohttp

    email = email or f"{uuid.uuid4().hex[:8]}@example.org"
    resp = await api.post(
        "/api/v1/accounts",
        json={"email": email, "password": password, "display_name": display_name},
    )
    assert resp.status == 201, await resp.text()
    account = await resp.json()
    resp = await api.post(
        "/api/v1/tokens",
        json={"scope": scope, "label": "test"},
        headers={"Authorization": aiohttp.encode_basic_auth(email, password)},
    )
    assert resp.status == 201, await resp.text()
    token = (await resp.json())["token"]
    return {**account, "token": token, "headers": {"Authorization": f"Bearer {token}"}}
