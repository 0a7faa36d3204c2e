"""A claim's whole life against `omniflattr serve` and `omniflattr claims recheck` as real
subprocesses on the embedded database, with a real DNS server (Knot) on loopback.

A creator publishes the TXT record and verifies; the key is claimed for the resolver; the
record is removed; three weekly re-checks by the CLI (each with its own fixed clock) lapse
the claim and the key is unclaimed again.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.dns import dns_server  # noqa: F401 - the session fixture
from tests.support.service import free_port, http, omniflattr, running_service, wait_for_indexes

pytestmark = pytest.mark.slow

DOMAIN = "omniflattr-e2e.org"
CHALLENGE = f"_omniflattr-challenge.{DOMAIN}"
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def call(service, method, path, body=None, token=None, basic=None):
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if basic:
        headers["Authorization"] = "Basic " + base64.b64encode(basic.encode()).decode()
    status, _, raw = http(method, service.url + path, body, headers)
    return status, json.loads(raw) if raw else None


def test_verify_then_lapse_through_the_cli(tmp_path, dns_server):  # noqa: F811
    closed = f"127.0.0.1:{free_port()}"  # nothing listens: the site checks fail at once
    env = {
        "OMNIFLATTR_DNS_NAMESERVERS": dns_server.nameserver,
        "OMNIFLATTR_NOW": iso(T0),
        "OMNIFLATTR_CRAWL_HOST_MAP": f"{DOMAIN}={closed},www.{DOMAIN}={closed}",
    }
    try:
        with running_service(tmp_path / "var", "--no-crawler", env=env) as service:
            wait_for_indexes(service)
            status, _ = call(
                service,
                "POST",
                "/api/v1/accounts",
                {
                    "email": "creator@example.org",
                    "password": "a long password",
                    "display_name": "C",
                },
            )
            assert status == 201
            status, body = call(
                service,
                "POST",
                "/api/v1/tokens",
                {"scope": "full"},
                basic="creator@example.org:a long password",
            )
            token = body["token"]
            status, body = call(
                service, "POST", "/api/v1/claims", {"key": f"domain:{DOMAIN}"}, token
            )
            assert status == 201
            made = body["claim"]
            record = next(i for i in made["instructions"] if i["method"] == "dns")["record"]
            assert record["name"] == CHALLENGE

            dns_server.set_txt(record["name"], record["value"])
            status, body = call(service, "POST", f"/api/v1/claims/{made['id']}/verify", None, token)
            assert status == 200 and body["verified"] is True, body
            status, body = call(service, "GET", f"/api/v1/resolve?url=https://{DOMAIN}/post")
            if status == 200:  # the resolver reads key_owners
                assert body["claimed"] is True

            dns_server.remove(CHALLENGE)
            outputs = []
            for day in (7, 14, 21):
                run_env = {**service.env, "OMNIFLATTR_NOW": iso(T0 + timedelta(days=day))}
                result = omniflattr("claims", "recheck", env=run_env)
                assert result.returncode == 0, result.stderr
                outputs.append(result.stdout)
            assert "1 failed, 0 lapsed" in outputs[0] and "1 failed, 0 lapsed" in outputs[1]
            assert f"lapsed: domain:{DOMAIN}" in outputs[2]

            status, body = call(service, "GET", f"/api/v1/claims/{made['id']}", None, token)
            assert body["claim"]["status"] == "lapsed"
            status, body = call(service, "GET", f"/api/v1/claims/{made['id']}/history", None, token)
            types = [e["type"] for e in body["events"]]
            assert types[-1] == "lapsed" and types.count("recheck_failed") == 3
            status, body = call(service, "GET", f"/api/v1/resolve?url=https://{DOMAIN}/post")
            if status == 200:
                assert body["claimed"] is False

            shown = omniflattr("claims", "show", f"domain:{DOMAIN}", env=service.env)
            assert shown.returncode == 0, shown.stderr
            report = json.loads(shown.stdout)
            assert report["owner"] is None and report["claims"][0]["status"] == "lapsed"
            assert made["token"] not in shown.stdout
    finally:
        dns_server.remove(CHALLENGE)
