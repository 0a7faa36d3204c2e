"""The extension in Debian's Chromium against the real service (see browser-testing.md).

One service and one browser per test module. Pages are served on 127.0.0.1 and reached
under public-looking names (example.org, ...) through Chromium's --host-resolver-rules,
so the tab's URL is a real flattrable URL. A toolbar click is a real one: CDP's
`Extensions.triggerAction` on the tab, which grants activeTab like a person's click.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pymongo
import pytest

from tests.support.service import ROOT, ServiceProcess, free_port, http, service_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXTENSION_DIR = ROOT / "extension"
ARTIFACTS = ROOT / "test-artifacts" / "extension"
CHROMIUM = (
    "/usr/lib/chromium/chromium"
    if Path("/usr/lib/chromium/chromium").exists()
    else "/usr/bin/chromium"
)
PAGE_HOSTS = ("example.org", "blog.example.org", "example.net", "news.example.com")
PASSWORD = "correct horse battery staple"

ARTICLE = """<!doctype html><html><head><title>{title}</title>
<link rel="canonical" href="{canonical}">
<meta name="author" content="Ada Writer">
<meta name="twitter:creator" content="@ada">
<link rel="me" href="https://mastodon.social/@ada">
<link rel="monetization" href="https://wallet.example/ada">
<script type="application/ld+json">
{{"@type": "Article", "author": {{"name": "Ada Writer", "url": "https://example.org/about"}}}}
</script></head><body><h1>{title}</h1>
<p>Posted by a visitor: <meta name="omniflattr:creator" content="github:mallory"></p>
</body></html>"""


# -- the web pages -------------------------------------------------------------------------


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        # Chromium maps host names to this server; Firefox reaches it as its HTTP proxy,
        # with the whole URL in the request line.
        target = urlsplit(self.path)
        host = (target.hostname or self.headers.get("Host") or "").split(":")[0]
        path = target.path
        title = f"{host}{path}"
        body = ARTICLE.format(title=title, canonical=f"http://{host}{path}").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def page_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


# -- the service ---------------------------------------------------------------------------


def start_service(data_dir: Path, port: int) -> ServiceProcess:
    """`omniflattr serve` on the embedded database, on a given port (to restart it there)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = service_env(data_dir, port, {"OMNIFLATTR_ENV": "test"})
    log_path = data_dir / f"serve-{port}.log"
    with open(log_path, "ab") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "registry_service", "serve", "--no-crawler"],
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    service = ServiceProcess(proc, f"http://127.0.0.1:{port}", data_dir, env, log_path)
    try:
        service.wait_ready()
    except BaseException:
        service.stop()
        raise
    return service


@dataclass
class Service:
    """The running service, restartable on the same port and data directory."""

    data_dir: Path
    port: int
    process: ServiceProcess | None = None
    _db: pymongo.MongoClient | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = start_service(self.data_dir, self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def db(self):
        if self._db is None:
            state = json.loads((self.data_dir / "secantusd.json").read_text())
            self._db = pymongo.MongoClient(
                f"mongodb://127.0.0.1:{state['port']}/?directConnection=true",
                serverSelectionTimeoutMS=5000,
            )
        return self._db["omniflattr"]

    def log(self) -> str:
        return "".join(
            p.read_text(errors="replace") for p in sorted(self.data_dir.glob("serve-*.log"))
        )

    def api(self, method: str, path: str, body=None, token: str | None = None, headers=None):
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        status, _, raw = http(method, f"{self.url}/api/v1{path}", body, all_headers)
        return status, (json.loads(raw) if raw.strip() else None)

    def new_account(self, scope: str = "full", display_name: str = "Ann Funder") -> dict:
        email = f"{uuid.uuid4().hex[:8]}@example.org"
        body = {"email": email, "password": PASSWORD, "display_name": display_name}
        status, account = self.api("POST", "/accounts", body)
        assert status == 201, account
        return {**account, "email": email, "token": self.new_token(email, scope)}

    def new_token(self, email: str, scope: str = "extension") -> str:
        basic = base64.b64encode(f"{email}:{PASSWORD}".encode()).decode()
        body = {"scope": scope, "label": "e2e"}
        status, token = self.api(
            "POST", "/tokens", body, headers={"Authorization": f"Basic {basic}"}
        )
        assert status == 201, token
        return token["token"]

    def flattrs_of(self, normalized: str) -> list[dict]:
        """Every flattr entry recorded for a normalised URL, across funders and months."""
        return list(self.db.flattrs.find({"normalized": normalized, "removed": {"$ne": True}}))


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[Service]:
    svc = Service(tmp_path_factory.mktemp("service") / "var", free_port())
    svc.start()
    yield svc
    svc.stop()


@pytest.fixture(scope="session")
def landed_routes() -> set[str]:
    """`METHOD /path` of every route of the code under test (no service needed): the API's
    without their /api/v1 prefix, and the web pages' (`GET /connect`)."""
    from registry_service.api.openapi import openapi_document
    from registry_service.app import create_app
    from registry_service.config import load_settings

    app = create_app(load_settings({"OMNIFLATTR_ENV": "test"}), run_crawler=False)
    paths = openapi_document(app)["paths"]
    routes = {f"{m.upper()} {p.removeprefix('/api/v1')}" for p, ops in paths.items() for m in ops}
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        path = info.get("path") or info.get("formatter")
        if path and not path.startswith("/api/"):
            routes.add(f"{route.method} {path}")
    return routes


def require_routes(landed: set[str], *routes: str) -> None:
    """Fail, naming them, when routes the extension relies on are missing from the service."""
    missing = [r for r in routes if r not in landed]
    if missing:
        pytest.fail(f"the service lacks {', '.join(missing)}")


# -- the browser ---------------------------------------------------------------------------


def poll(fn: Callable, timeout: float = 20.0, interval: float = 0.05, what: str = "condition"):
    """fn() until it returns something truthy (the badge and storage change asynchronously)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}; last value: {last!r}")


@dataclass
class Extension:
    context: object
    worker: object
    id: str
    cdp: object
    _popup: object = None

    def js(self, expression: str, arg=None):
        return self.worker.evaluate(expression, arg)

    def storage(self, area: str = "local") -> dict:
        return self.js(f"chrome.storage.{area}.get(null)")

    def set_service(self, url: str) -> None:
        self.js(
            "(url) => chrome.storage.local.set({settings: {serviceUrl: url, browseStatus: false}})",
            url,
        )

    def open(self, url: str):
        page = self.context.new_page()
        page.goto(url)
        page.bring_to_front()
        return page

    def tab_id(self, page) -> int:
        page.bring_to_front()
        return self.js(
            "chrome.tabs.query({active: true, lastFocusedWindow: true}).then(([t]) => t.id)"
        )

    def click(self, page) -> int:
        """A real toolbar click on the page's tab (activeTab is granted, as for a person)."""
        tab_id = self.tab_id(page)
        targets = self.cdp.send("Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
        tabs = [
            t
            for t in targets
            if t["url"] == page.url and t.get("embedderData", {}).get("tabActive", True)
        ]
        assert len(tabs) == 1, f"expected one tab at {page.url}: {tabs}"
        self.cdp.send("Extensions.triggerAction", {"id": self.id, "targetId": tabs[0]["targetId"]})
        return tab_id

    def badge(self, tab_id: int) -> tuple[str, str]:
        return self.js(
            """(tabId) => Promise.all(
                [chrome.action.getBadgeText({tabId}), chrome.action.getTitle({tabId})])""",
            tab_id,
        )

    def wait_badge(self, tab_id: int, text: str, timeout: float = 20.0) -> str:
        badge = poll(
            lambda: (b := self.badge(tab_id))[0] == text and b, timeout, what=f"badge {text!r}"
        )
        return badge[1]

    def tab_state(self, tab_id: int) -> dict | None:
        return self.js(
            "(id) => chrome.storage.session.get(`tab:${id}`).then((s) => s[`tab:${id}`] ?? null)",
            tab_id,
        )

    def popup(self, tab_id: int | None = None):
        """The popup for a tab, as a page (one at a time, like the real one)."""
        if self._popup is not None and not self._popup.is_closed():
            self._popup.close()
        page = self._popup = self.context.new_page()
        page.set_viewport_size({"width": 360, "height": 640})
        query = "" if tab_id is None else f"?tabId={tab_id}"
        page.goto(f"chrome-extension://{self.id}/src/popup/popup.html{query}")
        page.wait_for_selector("body[data-ready='true']")
        return page

    def options(self):
        page = self.context.new_page()
        page.goto(f"chrome-extension://{self.id}/src/options/options.html")
        page.wait_for_selector("body[data-ready='true']")
        return page

    def paste_token(self, token: str) -> None:
        """Connect through the options page's paste-a-token form, as a person would."""
        page = self.options()
        if page.is_visible("#disconnect"):
            page.click("#disconnect")
            page.wait_for_selector("#paste-details:not([hidden])")
        page.click("#paste-details summary")
        page.fill("#token", token)
        page.click("#paste-form button[type=submit]")
        page.wait_for_selector("#disconnect:not([hidden])")
        page.close()


def launch(playwright, profile: Path, extension_dir: Path, page_port: int, *extra_args: str):
    rules = ", ".join(f"MAP {h} 127.0.0.1:{page_port}" for h in PAGE_HOSTS)
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=[
            f"--disable-extensions-except={extension_dir}",
            f"--load-extension={extension_dir}",
            "--enable-unsafe-extension-debugging",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--host-resolver-rules={rules}",
            *extra_args,
        ],
    )
    worker = (
        context.service_workers[0]
        if context.service_workers
        else context.wait_for_event("serviceworker", timeout=15000)
    )
    ext_id = worker.url.split("/")[2]
    cdp = context.browser.new_browser_cdp_session()
    return Extension(context, worker, ext_id, cdp)


def extension_copy(tmp: Path, manifest_change: Callable[[dict], None] | None = None) -> Path:
    """The extension as shipped, or a copy with a changed manifest (a permission pre-granted)."""
    if manifest_change is None:
        return EXTENSION_DIR
    target = tmp / "extension"
    shutil.copytree(
        EXTENSION_DIR, target, ignore=shutil.ignore_patterns("node_modules", "test", "scripts")
    )
    manifest = json.loads((target / "manifest.json").read_text())
    manifest_change(manifest)
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


@pytest.fixture(scope="module")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run scripts/system-deps")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def extension(playwright_instance, tmp_path_factory, page_server, service) -> Iterator[Extension]:
    tmp = tmp_path_factory.mktemp("browser")
    ext = launch(playwright_instance, tmp / "profile", extension_copy(tmp), page_server)
    ext.set_service(service.url)
    yield ext
    ext.context.close()


@pytest.fixture
def shots() -> Callable[[object, str], Path]:
    """Save a screenshot of a page under test-artifacts/extension/ (look at them)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def unique_path(prefix: str = "post") -> str:
    return f"/{prefix}-{uuid.uuid4().hex[:8]}"
