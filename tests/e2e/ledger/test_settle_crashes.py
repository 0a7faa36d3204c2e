"""`omniflattr settle` as a real process on a real database: SIGKILLed at every write point
and run again, or run twice at once, it ends exactly like one uninterrupted run."""

from __future__ import annotations

import signal
import subprocess
import sys
import uuid

import pymongo
import pytest

from tests.e2e.ledger import seed
from tests.support.service import ROOT, free_port, omniflattr, service_env

pytestmark = pytest.mark.slow


def _env(tmp_path, uri: str, db_name: str, **extra: str) -> dict:
    return service_env(
        tmp_path / "var",
        free_port(),
        {"MONGODB_URI": uri, "OMNIFLATTR_DB_NAME": db_name, "OMNIFLATTR_NOW": seed.NOW, **extra},
    )


def _settle(env: dict):
    return omniflattr("settle", "--month", seed.MONTH, "--batch-size", "1", env=env, timeout=180)


@pytest.fixture
def reference(mongo_uri, tmp_path):
    """The result of one uninterrupted run on the seed data."""
    name = "ref_" + uuid.uuid4().hex[:10]
    seed.write(mongo_uri, name)
    done = _settle(_env(tmp_path, mongo_uri, name))
    assert done.returncode == 0, done.stderr
    yield seed.snapshot(mongo_uri, name)
    pymongo.MongoClient(mongo_uri).drop_database(name)


def test_killed_at_every_write_then_rerun_gives_the_same_cents(mongo_uri, tmp_path, reference):
    name = "crash_" + uuid.uuid4().hex[:10]
    seed.write(mongo_uri, name)
    kills = 0
    # Each run dies right after its first write that changes anything: the chain of runs
    # is killed once at every point of the settlement's progress, then one run finishes.
    for _ in range(200):
        done = _settle(_env(tmp_path, mongo_uri, name, OMNIFLATTR_TEST_KILL_AFTER_WRITES="1"))
        if done.returncode == -signal.SIGKILL:
            kills += 1
            continue
        assert done.returncode == 0, done.stderr
        break
    assert kills >= 20, f"only {kills} kill points"
    assert seed.snapshot(mongo_uri, name) == reference
    check = omniflattr("reconcile", env=_env(tmp_path, mongo_uri, name))
    assert check.returncode == 0, check.stdout + check.stderr
    pymongo.MongoClient(mongo_uri).drop_database(name)


def test_two_settlements_at_once_pay_once(mongo_uri, tmp_path, reference):
    name = "twice_" + uuid.uuid4().hex[:10]
    seed.write(mongo_uri, name)
    env = _env(tmp_path, mongo_uri, name)
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "registry_service",
                "settle",
                "--month",
                seed.MONTH,
                "--batch-size",
                "1",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=180)
        assert run.returncode == 0, err
    assert seed.snapshot(mongo_uri, name) == reference
    pymongo.MongoClient(mongo_uri).drop_database(name)


def test_reconcile_finds_what_is_wrong(mongo_uri, tmp_path):
    name = "bad_" + uuid.uuid4().hex[:10]
    seed.write(mongo_uri, name)
    env = _env(tmp_path, mongo_uri, name)
    assert _settle(env).returncode == 0
    assert omniflattr("reconcile", env=env).returncode == 0
    db = pymongo.MongoClient(mongo_uri)[name]
    db.journal.insert_one(
        {
            "_id": "forged",
            "slot": "txn:forged",
            "kind": "fund",
            "postings": [
                {"account": "funder:x", "cents": 500},
                {"account": "provider:sandbox", "cents": -499},
            ],
        }
    )
    db.journal.insert_one(
        {
            "_id": "overdraw",
            "slot": "txn:overdraw",
            "kind": "payout",
            "postings": [
                {"account": "creator:nobody", "cents": -7},
                {"account": "provider:sandbox", "cents": 7},
            ],
        }
    )
    db.journal.delete_one({"_id": f"settle:{seed.FUNDERS[1]}:{seed.MONTH}"})
    done = omniflattr("reconcile", env=env)
    assert done.returncode == 1
    assert "forged: postings add up to 1, not 0" in done.stdout
    assert "creator:nobody is negative: -7 cents" in done.stdout
    assert (
        f"{seed.MONTH}:{seed.FUNDERS[1]}: month {seed.MONTH} is settled but this funder was not"
        in done.stdout
    )
    pymongo.MongoClient(mongo_uri).drop_database(name)


def test_the_kill_hook_is_refused_outside_tests(mongo_uri, tmp_path):
    env = _env(
        tmp_path, mongo_uri, "unused", OMNIFLATTR_TEST_KILL_AFTER_WRITES="1", OMNIFLATTR_ENV="dev"
    )
    done = _settle(env)
    assert done.returncode == 2 and "refused unless OMNIFLATTR_ENV=test" in done.stderr


def test_escrow_expire_command_refunds_old_lots_once(mongo_uri, tmp_path):
    name = "expire_" + uuid.uuid4().hex[:10]
    seed.write(mongo_uri, name)
    env = _env(tmp_path, mongo_uri, name)
    first = omniflattr("escrow", "expire", env=env)
    assert first.returncode == 0, first.stderr
    assert "returned 333 cents of expired escrow from 1 keys" in first.stdout
    again = omniflattr("escrow", "expire", env=env)
    assert "returned 0 cents" in again.stdout
    db = pymongo.MongoClient(mongo_uri)[name]
    refund = db.journal.find_one({"kind": "expire"})
    assert refund["consumes"] == ["gift:old|domain:site5.example"]
    pymongo.MongoClient(mongo_uri).drop_database(name)
