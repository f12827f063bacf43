"""Browser tests: Playwright driving Debian's Chromium against the live test server, with axe-core."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
from pathlib import Path

import pytest

from tests.builders import Snapshot, restore_snapshot, take_snapshot

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
#: Chromium's headless shell (Debian's chromium-headless-shell, scripts/browser-deps) when it is there: the same
#: Blink and V8 as the browser without its windowing and GPU layers, a quarter less CPU for the same tests
#: (docs/decisions.md); else a full chromium. CHROMIUM_PATH names another.
CHROMIUM = (
    os.environ.get("CHROMIUM_PATH")
    or shutil.which("chromium-headless-shell")
    or shutil.which("chromium")
    or "/usr/bin/chromium-headless-shell"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: Only a browser that died is a reason to run a test again (pytest-rerunfailures): never an assertion,
#: a timeout or an error of ours — those fail at once.
BROWSER_DIED = pytest.mark.flaky(reruns=1, only_rerun=["TargetClosedError"])


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        for item in items:
            if "tests/browser/" in str(item.fspath):
                item.add_marker(BROWSER_DIED)
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}; scripts/system-deps installs it.")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


class Chromium:
    """The worker's Chromium, launched again if it has died (a crashed browser fails the test it was in;
    without this, every browser test after it on the same worker would fail too, at «new_context»)."""

    def __init__(self, playwright):
        self.playwright = playwright
        self.current = None
        self.launches = 0

    def get(self):
        if self.current is None or not self.current.is_connected():
            self.current = self.playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            self.launches += 1
        return self.current

    def close(self):
        if self.current is not None and self.current.is_connected():
            self.current.close()


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests a worker runs (they run one after the other: they are this package).

    Playwright's sync API keeps an asyncio event loop in this thread while it runs, so Django's
    ORM would refuse synchronous calls from the tests ("async unsafe"); the switch that allows
    them is on only while the browser is, and the browser stops when the worker leaves
    tests/browser, so the other tests run without either.
    """
    from playwright.sync_api import sync_playwright

    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = Chromium(playwright)
            yield chromium
            chromium.close()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture(scope="session")
def plain_http():
    """The live server speaks plain HTTP on localhost; production's HTTPS-only settings would redirect.

    Changed before the (session-wide) live server builds its middleware, which reads them once.
    """
    from django.conf import settings

    changed = {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
    }
    saved = {name: getattr(settings, name) for name in changed}
    for name, value in changed.items():
        setattr(settings, name, value)
    yield
    for name, value in saved.items():
        setattr(settings, name, value)


class InFlight:
    """The live server's application, counting the requests it is answering: a test ends only when none is left.

    A page's timers (the autosave, a redraw asked for again) can send a request just before the test ends; the
    server's thread would then still hold locks while the database is flushed for the next test (PostgreSQL
    answered «deadlock detected» to the flush, and the next test had no database).
    """

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.idle = threading.Condition()

    def __call__(self, environ, start_response):
        with self.idle:
            self.count += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.done()
            raise
        return Answered(result, self.done)

    def done(self) -> None:
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def wait_until_idle(self, timeout: float = 20) -> bool:
        with self.idle:
            return self.idle.wait_for(lambda: self.count <= 0, timeout)


class Answered:
    """A response's body as the server sends it; closed (sent or broken off), the request is done."""

    def __init__(self, result, done):
        self.result, self.done, self.closed = result, done, False

    def __iter__(self):
        return iter(self.result)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.done()


def in_flight(live_server) -> InFlight | None:
    httpd = getattr(getattr(live_server, "thread", None), "httpd", None)
    if httpd is None:
        return None
    app = httpd.get_app()
    if not isinstance(app, InFlight):
        app = InFlight(app)
        httpd.set_app(app)
    return app


@pytest.fixture
def new_page(browser, plain_http, live_server):
    """Make a fresh browser context (its own cookies) with one page; all closed after the test, and the test ends
    when the live server has answered every request the pages sent."""
    contexts = []
    counted = in_flight(live_server)

    def make():
        context = browser.get().new_context(base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo")
        contexts.append(context)
        # Every Content-Security-Policy violation on the page is kept; assert_accessible fails on one.
        context.add_init_script(CSP_WATCH)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        try:
            context.close()
        except Exception as error:  # a browser that died with the test: nothing left to close
            if "closed" not in str(error):
                raise
    if counted is not None:
        assert counted.wait_until_idle(), "the live server was still answering 20 s after the test's pages closed"


@pytest.fixture
def page(new_page):
    return new_page()


CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


_AXE_SOURCE: list[str] = []


def axe_source() -> str:
    """axe-core's source (500 kB), read once per worker."""
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return _AXE_SOURCE[0]


#: The sets of stylesheets whose rules axe has read in this worker (assert_accessible).
_STYLESHEETS_READ: set[str] = set()
#: The page states axe has passed in this worker: a digest of the document (its CSRF tokens left out) and of the
#: window's size (the layout: target sizes, contrast over what lies beneath).
_STATES_PASSED: set[str] = set()
#: The CSRF token's value in a form (each page has its own; the rest of the page is what axe reads).
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def _state(page) -> str:
    size, html = page.evaluate("[`${innerWidth}x${innerHeight}`, document.documentElement.outerHTML]")
    document = _CSRF_VALUE.sub(r'\1"', html)
    return hashlib.sha256(f"{size}\n{document}".encode()).hexdigest()


def assert_accessible(page) -> None:
    """axe-core on the page as it is now: no serious or critical violation, and nothing the CSP blocked."""
    violations, loaded = page.evaluate("[window.__cspViolations || [], typeof window.axe !== 'undefined']")
    assert violations == [], page.url
    # The same document as one axe passed before in this worker (the login page of every walk, a list seen again):
    # the same answer (issue #9, the suite's time: 26 of 295 runs).
    state = _state(page)
    if state in _STATES_PASSED:
        return
    # Evaluated by Playwright, not as a <script> tag: the CSP allows no inline script, rightly. Once per
    # document: a page redrawn by htmx keeps it (issue #9 point 7: ~0.12 s a time).
    if not loaded:
        page.evaluate(axe_source())
    # The stylesheets' rules (css-orientation-lock: the CSSOM, fetched again at every run, «preload») are read
    # once per set of stylesheets: the same files give the same answer (issue #9: ~25 % of each run's time).
    sheets = page.evaluate(
        "[...document.styleSheets].map(sheet => sheet.href ? new URL(sheet.href).pathname : 'inline').join(' ')"
    )
    preload = sheets not in _STYLESHEETS_READ
    result = page.evaluate(
        "async preload => await axe.run(document, {resultTypes: ['violations'], preload: preload})", preload
    )
    _STYLESHEETS_READ.add(sheets)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{page.url}: " + "; ".join(bad)
    _STATES_PASSED.add(state)


@pytest.fixture
def visit(page):
    """Go to a path and check the page with axe-core; returns the page."""

    def go(path: str):
        response = page.goto(path)
        assert response is not None and response.status < 400, f"{path}: {response and response.status}"
        assert_accessible(page)
        return page

    return go


def log_in(page, email: str, password: str) -> None:
    """Log in through the login form, as a person would; checks the login page with axe-core."""
    page.goto("/konto/logg-inn/")
    assert_accessible(page)
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn", exact=True).click()
    assert page.get_by_role("button", name="Logg ut").is_visible(), f"{email} is not logged in: {page.url}"


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Logg ut").click()
    assert page.get_by_role("link", name="Logg inn").first.is_visible()


#: The database as the first ``demo`` of this worker left it, by (database, day): loading the demo submits
#: every passing example with its receipt, seconds a walk need not pay again (issue #9 point 7).
_DEMO_SNAPSHOTS: dict[tuple[str, object], Snapshot] = {}


@pytest.fixture
def demo(transactional_db):
    """The five calls and the demo data (organisations, people, open «-demo» copies of the calls).

    Loaded once per worker and day; every later walk gets that database back, row for row
    (tests/builders.py ``restore_snapshot``), and the flush after the walk empties it as before.
    """
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import override_settings
    from django.utils import timezone

    from tests.conftest import CALLS_DIR
    from tilskudd.calls.services import call_files_in, load_call_files
    from tilskudd.demo.services import load_demo

    # Rate-limit counters live in the database cache, which flushing between transactional tests
    # leaves alone: start each walk with none.
    cache.clear()
    key = (connection.settings_dict["NAME"], timezone.localdate())
    if key in _DEMO_SNAPSHOTS:
        restore_snapshot(_DEMO_SNAPSHOTS[key])
        return
    load_call_files(call_files_in(CALLS_DIR))
    # The demo's submitted applications' receipts are queued as in a deployment (the database queue) and not
    # made here: no walk reads them, and making them took ~15 s of each worker's CPU (issue #9, the suite's
    # time). A walk's own submission gets its receipt at once, as in every other test (the immediate backend).
    queued = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=queued):
        load_demo()
    _DEMO_SNAPSHOTS[key] = take_snapshot()


@pytest.fixture
def demo_login(page, demo):
    """Log the page in as a demo person (by e-mail) through the login form."""
    from tilskudd.demo.data import DEMO_PASSWORD

    def login(email: str):
        log_in(page, email, DEMO_PASSWORD)
        return page

    return login
