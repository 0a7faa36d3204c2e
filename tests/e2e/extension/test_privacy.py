"""The opt-in "show status while I browse" mode: keys resolved in the browser, claimed
status from /keys/by-prefix/{4 hex}, and no URL ever reaches the service."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

import pytest
from bson import ObjectId
from playwright.sync_api import expect

from .conftest import extension_copy, launch, poll, require_routes, unique_path


@pytest.fixture(scope="module", autouse=True)
def _routes_landed(landed_routes):
    """Before any browser starts: skip the module while its routes are not on main."""
    require_routes(landed_routes, "GET /keys/by-prefix/{prefix}")


def _grant_tabs(manifest: dict) -> None:
    # The mode asks for the "tabs" permission when switched on; a headless browser cannot
    # click the permission prompt, so this copy has it granted at install instead.
    manifest["permissions"].append("tabs")
    manifest["optional_permissions"].remove("tabs")


@pytest.fixture(scope="module")
def extension(playwright_instance, tmp_path_factory, page_server, service):
    tmp = tmp_path_factory.mktemp("browser")
    ext = launch(
        playwright_instance, tmp / "profile", extension_copy(tmp, _grant_tabs), page_server
    )
    ext.set_service(service.url)
    yield ext
    ext.context.close()


def claim(service, key: str, declined: bool = False) -> None:
    creator = service.new_account(display_name="Clara Creator")
    service.db.key_owners.insert_one(
        {
            "_id": key,
            "key_sha256": hashlib.sha256(key.encode()).hexdigest(),
            "account_id": ObjectId(creator["id"]),
            "claim_id": ObjectId(),
            "since": datetime.now(UTC),
            "declined": declined,
        }
    )


def access_log(service) -> list[str]:
    return re.findall(r"omniflattr\.access: (\w+ \S+) \d{3}", service.log())


def test_status_while_browsing_never_sends_a_url(service, extension, shots):
    claim(service, "domain:example.net")
    claim(service, "domain:blog.example.org")
    claim(service, "domain:news.example.com", declined=True)

    options = extension.options()
    assert not options.is_checked("#browse-status"), "the mode is off by default"
    options.check("#browse-status")
    expect(options.locator("#notice")).to_have_text("Status while browsing is on.")
    shots(options, "options-browse-status-on")
    before = len(access_log(service))

    visits = {
        f"http://example.net{unique_path()}": ("●", "Its creator has claimed domain:example.net"),
        f"http://blog.example.org{unique_path()}": ("●", "claimed domain:blog.example.org"),
        f"http://example.org{unique_path()}": ("", "Nobody has claimed domain:example.org yet"),
        f"http://news.example.com{unique_path()}": ("⊘", "domain:news.example.com declines"),
    }
    for url, (mark, title) in visits.items():
        page = extension.open(url)
        tab = extension.tab_id(page)
        poll(
            lambda tab=tab, title=title: title in extension.badge(tab)[1],
            what=f"the status of {url}",
        )
        assert extension.badge(tab)[0] == mark, url

    requests = access_log(service)[before:]
    assert requests, "the claimed status comes from the service"
    for request in requests:
        assert re.fullmatch(r"GET /api/v1/keys/by-prefix/[0-9a-f]{4}", request), request
    log = service.log()
    for url in visits:
        assert url.split("/")[3] not in log, "no page address reaches the service"

    # Answers are cached: a second page of a known site asks nothing.
    count = len(access_log(service))
    page = extension.open(f"http://example.net{unique_path()}")
    tab = extension.tab_id(page)
    poll(lambda: extension.badge(tab)[0] == "●", what="the cached status")
    assert len(access_log(service)) == count


def test_switching_the_mode_off_stops_all_requests(service, extension):
    options = extension.options()
    if not options.is_checked("#browse-status"):
        options.check("#browse-status")
        expect(options.locator("#notice")).to_have_text("Status while browsing is on.")
    options.uncheck("#browse-status")
    expect(options.locator("#notice")).to_have_text("Status while browsing is off.")
    before = len(access_log(service))
    page = extension.open(f"http://example.org{unique_path()}")
    tab = extension.tab_id(page)
    page.reload()
    page.wait_for_timeout(500)  # a negative check: give a wrong request the time to happen
    assert extension.badge(tab)[0] == ""
    assert len(access_log(service)) == before
