"""The issue's end-to-end story, against real subprocesses, a real DNS server and the ledger:

funders flattr pages of a domain while it is unclaimed -> escrow grows -> a creator adds the
TXT record and verifies -> the escrow is released to them exactly once -> the record is
removed -> re-checks lapse the claim -> new money goes to escrow again.

Skipped until the ledger (funding, flattrs, settlement, escrow) is merged into this branch.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.claims.test_claim_lifecycle import iso
from tests.support.dns import dns_server  # noqa: F401 - the session fixture
from tests.support.service import free_port, http, omniflattr, running_service, wait_for_indexes

pytestmark = pytest.mark.slow

DOMAIN = "omniflattr-escrow.org"
KEY = f"domain:{DOMAIN}"
CHALLENGE = f"_omniflattr-challenge.{DOMAIN}"
PASSWORD = "a long password"
MARCH = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
APRIL = datetime(2026, 4, 2, 12, 0, tzinfo=UTC)
MAY = datetime(2026, 5, 12, 12, 0, tzinfo=UTC)
JUNE = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)


class Api:
    def __init__(self, service) -> None:
        self.url = service.url

    def __call__(self, method, path, body=None, token=None, basic=None):
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if basic:
            headers["Authorization"] = "Basic " + base64.b64encode(basic.encode()).decode()
        status, _, raw = http(method, self.url + path, body, headers, timeout=30)
        return status, json.loads(raw) if raw else None

    def account(self, email: str) -> str:
        status, body = self(
            "POST",
            "/api/v1/accounts",
            {"email": email, "password": PASSWORD, "display_name": email[:5]},
        )
        assert status == 201, body
        status, body = self(
            "POST", "/api/v1/tokens", {"scope": "full"}, basic=f"{email}:{PASSWORD}"
        )
        assert status == 201, body
        return body["token"]

    def token(self, email: str) -> str:
        status, body = self(
            "POST", "/api/v1/tokens", {"scope": "full"}, basic=f"{email}:{PASSWORD}"
        )
        assert status == 201, body
        return body["token"]

    def escrow(self) -> int:
        status, body = self("GET", f"/api/v1/escrow?key={KEY}")
        assert status == 200, body
        return body["total_cents"]

    def earned(self, token: str) -> int:
        """What the account holds as a creator (the ledger keeps it apart from funding)."""
        status, body = self("GET", "/api/v1/me", token=token)
        assert status == 200, body
        return body.get("creator_balance_cents", body["balance_cents"])


def settle(env: dict, month: str, now: datetime) -> None:
    result = omniflattr("settle", "--month", month, env={**env, "OMNIFLATTR_NOW": iso(now)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_escrow_grows_is_released_once_and_grows_again_after_a_lapse(tmp_path, dns_server):  # noqa: F811
    closed = f"127.0.0.1:{free_port()}"
    env = {
        "OMNIFLATTR_DNS_NAMESERVERS": dns_server.nameserver,
        "OMNIFLATTR_CRAWL_HOST_MAP": f"{DOMAIN}={closed},www.{DOMAIN}={closed}",
        "OMNIFLATTR_NOW": iso(MARCH),
    }
    data = tmp_path / "var"
    try:
        with running_service(data, "--no-crawler", env=env) as service:
            wait_for_indexes(service)
            api = Api(service)
            funder = api.account("funder@example.org")
            assert api(
                "POST", "/api/v1/funding", {"amount_cents": 10_000, "method": "bank"}, funder
            )[0] in (200, 201)
            assert api("PUT", "/api/v1/me/budget", {"monthly_cents": 1_000}, funder)[0] == 200
            for path in ("/a", "/b"):
                assert api("POST", "/api/v1/flattrs", {"url": f"https://{DOMAIN}{path}"}, funder)[
                    0
                ] in (200, 201)
            creator = api.account("creator@example.org")
            base_env = service.env
        settle(base_env, "2026-03", APRIL)

        with running_service(
            data, "--no-crawler", env={**env, "OMNIFLATTR_NOW": iso(APRIL)}
        ) as service:
            api = Api(service)
            waiting = api.escrow()
            assert waiting == 1_000  # the whole March budget went to the unclaimed key
            creator = api.token("creator@example.org")
            status, body = api("POST", "/api/v1/claims", {"key": KEY}, creator)
            made = body["claim"]
            dns_server.set_txt(CHALLENGE, f"token={made['token']}")
            status, body = api("POST", f"/api/v1/claims/{made['id']}/verify", None, creator)
            assert status == 200 and body["verified"] is True, body
            assert api.escrow() == 0
            released = api.earned(creator)
            assert 0 < released <= waiting  # minus the platform's commission
            api("POST", f"/api/v1/claims/{made['id']}/verify", None, creator)  # verified again
            assert api.earned(creator) == released  # released exactly once

            dns_server.remove(CHALLENGE)
            for day in (7, 14, 21):
                run_env = {**service.env, "OMNIFLATTR_NOW": iso(APRIL + timedelta(days=day))}
                result = omniflattr("claims", "recheck", env=run_env)
                assert result.returncode == 0, result.stderr
            assert f"lapsed: {KEY}" in result.stdout
            base_env = service.env

        with running_service(
            data, "--no-crawler", env={**env, "OMNIFLATTR_NOW": iso(MAY)}
        ) as service:
            api = Api(service)
            funder = api.token("funder@example.org")
            assert api("POST", "/api/v1/flattrs", {"url": f"https://{DOMAIN}/c"}, funder)[0] in (
                200,
                201,
            )
        settle(base_env, "2026-05", JUNE)

        with running_service(
            data, "--no-crawler", env={**env, "OMNIFLATTR_NOW": iso(JUNE)}
        ) as service:
            api = Api(service)
            assert api.escrow() == 1_000  # new money waits for the key again
            assert api.earned(api.token("creator@example.org")) == released
    finally:
        dns_server.remove(CHALLENGE)
