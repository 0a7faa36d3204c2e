"""The service goes away: the click is kept, survives the worker being stopped, and arrives."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from .conftest import poll, require_routes, unique_path


@pytest.fixture(scope="module", autouse=True)
def _routes_landed(landed_routes):
    """Before any browser starts: skip the module while its routes are not on main."""
    require_routes(landed_routes, "GET /me", "POST /flattrs")


@pytest.fixture(scope="module")
def funder(service, extension):
    account = service.new_account(scope="extension")
    extension.paste_token(account["token"])
    return account


def worker_running(extension) -> bool:
    targets = extension.cdp.send("Target.getTargets")["targetInfos"]
    prefix = f"chrome-extension://{extension.id}/"
    return any(t["type"] == "service_worker" and t["url"].startswith(prefix) for t in targets)


def stop_worker(extension) -> None:
    """Stop the extension's service worker, as the browser does after ~30 s idle."""
    assert worker_running(extension)
    page = extension.context.new_page()
    session = extension.context.new_cdp_session(page)
    session.send("ServiceWorker.enable")
    session.send("ServiceWorker.stopAllWorkers")
    poll(lambda: not worker_running(extension), what="the worker to stop")
    page.close()


def test_an_unreachable_service_loses_nothing(service, extension, funder, shots):
    service.stop()
    url = f"http://example.org{unique_path()}"
    tab = extension.click(extension.open(url))
    title = extension.wait_badge(tab, "↻")
    assert "cannot be reached" in title
    [queued] = extension.storage()["queue"]
    assert queued["normalized"] == url
    assert queued["lastError"]["kind"] == "offline"
    alarm = extension.js("chrome.alarms.get('omniflattr-retry')")
    assert 0 < alarm["scheduledTime"] / 1000 - time.time() <= 6, "the first retry comes soon"
    popup = extension.popup(tab)
    assert "cannot be reached" in popup.inner_text("#status")
    assert popup.is_visible("#retry")
    shots(popup, "popup-offline")
    popup.close()

    # MV3 stops idle workers: what waits is in storage and alarms, not in the worker.
    stop_worker(extension)
    service.start()
    # Nothing is opened now: only the retry alarm (5 s, then 10 s) wakes the worker to send.
    poll(lambda: service.flattrs_of(url), timeout=25, interval=0.25, what="the alarm's retry")
    extension.worker = extension.context.service_workers[-1]
    assert extension.storage()["queue"] == []
    extension.wait_badge(tab, "⏳")
    popup = extension.popup(tab)
    assert popup.inner_text("#status") == "Flattred! Thank you."
    shots(popup, "popup-recovered")


def test_send_now_after_the_service_is_back(service, extension, funder):
    service.stop()
    url = f"http://example.org{unique_path()}"
    tab = extension.click(extension.open(url))
    extension.wait_badge(tab, "↻")
    # Only the person's "Send now" may send it here: the retry alarm is taken away.
    assert extension.js("chrome.alarms.clear('omniflattr-retry')")
    service.start()
    options = extension.options()
    options.click("#flush")
    poll(lambda: service.flattrs_of(url), what="the flattr sent by Send now")
    expect(options.locator("#notice")).to_have_text("Sent: 1. Still waiting: 0.")
    extension.wait_badge(tab, "⏳")
