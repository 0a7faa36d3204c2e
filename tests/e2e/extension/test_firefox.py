"""The same extension tree in Debian's Firefox ESR, driven through WebDriver BiDi.

Firefox installs the unpacked extension (`webExtension.install`), reaches the test pages
through its HTTP proxy setting (the page server), and a toolbar click is the browser's
own action handler, called in the browser window (`--remote-allow-system-access`).
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import time
from pathlib import Path

import aiohttp
import pytest

from tests.support.service import free_port

from .conftest import ARTIFACTS, EXTENSION_DIR, require_routes, unique_path

FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
ADDON_ID = "extension@omniflattr.org"
ADDON_UUID = "0b6f0c6e-6a8e-4c1e-9d6f-5c2d6b1a7e01"
BASE = f"moz-extension://{ADDON_UUID}"
CLICK = """(async () => {
  const { ExtensionParent } = ChromeUtils.importESModule(
    "resource://gre/modules/ExtensionParent.sys.mjs");
  const extension = ExtensionParent.GlobalManager.getExtension("ADDON_ID");
  await ExtensionParent.apiManager.global.browserActionFor(extension).triggerAction(window);
})()""".replace("ADDON_ID", ADDON_ID)

if FIREFOX is None:
    pytest.fail("Debian's firefox-esr is not installed: run scripts/system-deps", pytrace=False)


@pytest.fixture(scope="module", autouse=True)
def _routes_landed(landed_routes):
    require_routes(landed_routes, "GET /me", "POST /flattrs")


class Bidi:
    """A minimal WebDriver BiDi client: commands in, results out (events are ignored)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.last_id = 0

    async def call(self, method: str, **params) -> dict:
        self.last_id += 1
        await self.ws.send_json({"id": self.last_id, "method": method, "params": params})
        while True:
            message = await self.ws.receive_json(timeout=30)
            if message.get("id") == self.last_id:
                assert message["type"] == "success", message
                return message["result"]

    async def js(self, context: str, expression: str):
        result = await self.call(
            "script.evaluate",
            expression=expression,
            target={"context": context},
            awaitPromise=True,
        )
        assert result["type"] == "success", result
        return result["result"].get("value")

    async def poll(self, context: str, expression: str, seconds: float = 10.0):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = await self.js(context, expression)
            if value not in (None, False, "", "null"):
                return value
            await asyncio.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")


def firefox_profile(directory: Path, page_port: int) -> Path:
    prefs = {
        "extensions.webextensions.uuids": json.dumps({ADDON_ID: ADDON_UUID}),
        "network.proxy.type": 1,  # every web page through the page server...
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": page_port,  # ...but never the service on 127.0.0.1
        "browser.shell.checkDefaultBrowser": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "browser.startup.homepage_override.mstone": "ignore",
    }
    directory.mkdir(parents=True)
    (directory / "user.js").write_text(
        "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items())
    )
    return directory


async def test_a_click_in_firefox_flattrs_the_page(service, page_server, tmp_path):
    port = free_port()
    profile = firefox_profile(tmp_path / "profile", page_server)
    args = [FIREFOX, "--headless", "--no-remote", "--profile", str(profile)]
    args += [f"--remote-debugging-port={port}", "--remote-allow-system-access", "about:blank"]
    firefox = await asyncio.create_subprocess_exec(
        *args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                try:
                    ws = await http.ws_connect(f"ws://127.0.0.1:{port}/session")
                    break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
            bidi = Bidi(ws)
            await bidi.call("session.new", capabilities={})
            installed = await bidi.call(
                "webExtension.install", extensionData={"type": "path", "path": str(EXTENSION_DIR)}
            )
            assert installed["extension"] == ADDON_ID
            chrome_tree = await bidi.call("browsingContext.getTree", **{"moz:scope": "chrome"})
            window = chrome_tree["contexts"][0]["context"]
            page = (await bidi.call("browsingContext.getTree"))["contexts"][0]["context"]

            # Connect through the options page's paste-a-token form.
            account = service.new_account(scope="extension")
            options = (await bidi.call("browsingContext.create", type="tab"))["context"]
            await bidi.call(
                "browsingContext.navigate",
                context=options,
                url=f"{BASE}/src/options/options.html",
                wait="complete",
            )
            settings = json.dumps({"serviceUrl": service.url, "browseStatus": False})
            await bidi.js(options, f"browser.storage.local.set({{settings: {settings}}})")
            await bidi.js(
                options,
                """(() => { document.getElementById('paste-details').open = true;
                document.getElementById('token').value = TOKEN;
                document.getElementById('paste-form').requestSubmit(); })()""".replace(
                    "TOKEN", json.dumps(account["token"])
                ),
            )
            await bidi.poll(options, "!document.getElementById('disconnect').hidden")

            # The click on a page of the web.
            url = f"http://example.org{unique_path()}"
            await bidi.call("browsingContext.navigate", context=page, url=url, wait="complete")
            await bidi.call("browsingContext.activate", context=page)
            await bidi.js(window, CLICK)
            state = json.loads(
                await bidi.poll(
                    options,
                    """browser.storage.session.get(null).then((all) => JSON.stringify(
                    Object.values(all).find((s) => s.status === 'done') ?? null))""",
                )
            )
            assert state["flattr"]["key"] == "domain:example.org"
            [flattr] = service.flattrs_of(url)
            hints = service.db.extension_hints.find_one({"_id": flattr["normalized"]})["hints"]
            assert hints["canonical"] == url

            popup = (await bidi.call("browsingContext.create", type="tab"))["context"]
            tab_id = await bidi.js(
                options,
                """browser.storage.session.get(null).then((all) => Number(Object.keys(all)
                .find((k) => all[k].status === 'done').slice(4)))""",
            )
            badge = await bidi.js(options, f"browser.action.getBadgeText({{tabId: {tab_id}}})")
            assert badge == "⏳"
            await bidi.call(
                "browsingContext.navigate",
                context=popup,
                url=f"{BASE}/src/popup/popup.html?tabId={tab_id}",
                wait="complete",
            )
            await bidi.poll(popup, "document.body.dataset.ready === 'true'")
            assert await bidi.js(popup, "document.getElementById('key').textContent") == (
                "domain:example.org"
            )
            await bidi.call(
                "browsingContext.setViewport", context=popup, viewport={"width": 360, "height": 640}
            )
            shot = await bidi.call("browsingContext.captureScreenshot", context=popup)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / "firefox-popup-escrow.png").write_bytes(base64.b64decode(shot["data"]))
            await ws.close()
    finally:
        firefox.terminate()
        try:
            await asyncio.wait_for(firefox.wait(), 15)
        except TimeoutError:
            firefox.kill()
            await firefox.wait()
