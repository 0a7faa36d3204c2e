"""Ledger tests run on a fixed clock (mid-October 2026) with one administrator email."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import make_settings

ADMIN_EMAIL = "admin@example.org"
OCTOBER = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def settings(mongo_uri, db_name, tmp_path):
    return make_settings(
        mongodb_uri=mongo_uri,
        db_name=db_name,
        data_dir=tmp_path / "var",
        now=OCTOBER,
        admin_emails=frozenset({ADMIN_EMAIL}),
    )
