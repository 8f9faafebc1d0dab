"""Real-browser fixtures: the app under waitress, Chromium through Playwright, axe-core checks.

Every test here drives Debian's Chromium (/usr/bin/chromium; Playwright's own browser
download is not used). Without a usable browser the tests skip with the reason, except
under CI (CI=true), where a missing browser fails the run.

What a browser test gets:
- `live_server`: the base URL of the real app on an empty database (one server per test,
  so every journey starts from the first-run setup); `live_app` is the same Flask app, for
  tests that seed data directly (`live_seeded` does the usual accounts).
- `new_page(**context_options)`: a page in a context of its own (one context = one user;
  call it several times for a lead, respondents, a projector, phones). `page` is one of them.
- `check_a11y(page)`: axe-core on the current page; serious or critical violations fail.
- `sign_in(page, who)`: signs in through the login page (which it checks too).

Watched for every page, failing the test at its end: console errors (Chromium reports CSP
violations as console errors), uncaught JavaScript errors, server errors (5xx or an
exception logged by the app), requests to any other host, and HTML pages that were
visited but never given an accessibility check.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from assess import ROOT
from assess.storage.db import open_db
from tests.conftest import ADMIN, LEAD, VIEWER, create_test_app, seed_accounts, share_compressed_files

CHROMIUM = os.environ.get("ASSESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # No network beyond the app: without these Chromium keeps calling home.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"locale": "fi-FI", "viewport": {"width": 1280, "height": 900}}
PHONE = {
    "locale": "fi-FI",
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
TIMEOUT_MS = 10_000  # fail fast: a local app answers in milliseconds
FAILING_IMPACTS = ("serious", "critical")


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser/ carries the `browser` marker (-m "not browser" skips it)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Keep each phase's report on the test, so fixtures know whether the test itself failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"CI=true, so a missing browser fails the run: {reason}", pytrace=False)
    pytest.skip(f"browser tests need Chromium: {reason}")


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium, shared by the session (contexts keep the tests apart)."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the machine
        _unavailable(f"Playwright is not installed ({exc}); pip install -e '.[test]'")
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} does not exist (on Debian: apt-get install chromium)")
    manager = sync_playwright().start()
    try:
        instance = manager.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except PlaywrightError as exc:
        manager.stop()
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        _unavailable(f"{CHROMIUM} did not start: {first_line}")
    yield instance
    instance.close()
    manager.stop()


# --- the app under waitress ------------------------------------------------------------------


class _ErrorLog(logging.Handler):
    """Collects errors the app logs (an exception in a view is logged before the 500 page)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(self.format(record))


@pytest.fixture
def live_app(tmp_path):
    """The real app on an empty database in tmp_path, configured as in production."""
    share_compressed_files(tmp_path / "instance")
    app = create_test_app(
        {
            "SECRET_KEY": "browser-tests",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE": str(tmp_path / "assess.db"),
            "CONTENT_DIR": str(ROOT / "questionnaires"),
        }
    )
    app.config["TESTING"] = False  # errors go through the app's own error pages, as in production
    return app


@pytest.fixture
def live_server(live_app) -> Iterator[str]:
    """Serve live_app with waitress (the production server) on a free port; yields the base URL.

    One server per test: every journey starts on an empty database. Starting one costs
    well under a second (the content is validated on create_app), so no module scope.
    """
    from waitress import create_server

    errors = _ErrorLog()
    live_app.logger.addHandler(errors)
    server = create_server(live_app, host="127.0.0.1", port=0, threads=8, ident="hankintapolku-test")
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    _stop(server)
    thread.join(timeout=5)
    live_app.logger.removeHandler(errors)
    if errors.messages:
        pytest.fail("the app logged errors:\n" + "\n".join(errors.messages), pytrace=False)


def _stop(server: Any) -> None:
    """Stop waitress from outside its loop: the loop thread itself closes every channel (the
    trigger runs the closing there, so nothing races), its loop ends, then the workers stop."""
    logging.getLogger("waitress").setLevel(logging.CRITICAL)  # no noise about closed sockets

    def close_all() -> None:
        for channel in list(server._map.values()):
            channel.handle_close()

    server.trigger.pull_trigger(close_all)
    server.task_dispatcher.shutdown()


@pytest.fixture
def live_seeded(live_app) -> dict:
    """The usual accounts on the live database: an administrator, two organisations, a lead
    and a viewer of the first one (ADMIN, LEAD and VIEWER hold their credentials)."""
    db = open_db(live_app.config["DATABASE"])
    try:
        return seed_accounts(db)
    finally:
        db.conn.close()


@pytest.fixture
def credentials() -> dict[str, dict[str, str]]:
    """User names and passwords of live_seeded's accounts: {"admin"|"lead"|"viewer": {...}}."""
    return {"admin": dict(ADMIN), "lead": dict(LEAD), "viewer": dict(VIEWER)}


# --- pages and what they must not do ---------------------------------------------------------


@dataclass
class Watch:
    """What went wrong in one browser context (one user), and which pages were checked."""

    base_url: str
    problems: list[str] = field(default_factory=list)
    reported: int = 0  # problems[:reported] have already failed the test in check_a11y
    pages: list[Any] = field(default_factory=list)  # pages whose JavaScript errors are listened to
    visited: dict[str, None] = field(default_factory=dict)  # HTML documents, in visit order
    checked: set[str] = field(default_factory=set)

    def on_console(self, message: Any) -> None:
        if message.type != "error":
            return
        text = message.text
        location = (message.location or {}).get("url", "") or (message.page.url if message.page else "")
        # A refused form (400) or a page the user may not see (403/404) is a deliberate answer,
        # not a broken page: Chromium still logs it as a failed load of the document itself.
        if text.startswith("Failed to load resource") and location in self.visited:
            return
        self.problems.append(f"console error on {location or '?'}: {text}")

    def on_page_error(self, error: Any) -> None:
        self.problems.append(f"JavaScript error: {error}")

    def on_request(self, request: Any) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")) or url.startswith(self.base_url + "/"):
            return
        self.problems.append(f"request to another host: {url}")

    def on_response(self, response: Any) -> None:
        if response.status >= 500:
            self.problems.append(f"server error {response.status} for {response.url}")
        if (
            response.request.resource_type != "document"
            or not 200 <= response.status < 600
            or 300 <= response.status < 400
        ):
            return
        if response.headers.get("content-type", "").startswith("text/html"):
            self.visited[response.url] = None

    def unchecked(self) -> list[str]:
        return [url for url in self.visited if url not in self.checked]


_WATCHES: dict[Any, Watch] = {}


def _watch(page: Any, watch: Watch) -> None:
    """Listen to a page's JavaScript errors, once (the context's "page" event may repeat it)."""
    if not any(p is page for p in watch.pages):
        watch.pages.append(page)
        page.on("pageerror", watch.on_page_error)


@pytest.fixture
def new_page(browser, live_server, request) -> Iterator[Callable[..., Any]]:
    """Factory: new_page(**options) -> a Page in a new context of its own (a separate user).

    Defaults: locale fi-FI, viewport 1280x900, base_url the live server (page.goto("/login")).
    Pass PHONE's options (`new_page(**PHONE)`) for a phone. At the end of the test any
    console error, CSP violation, JavaScript error, server error, request to another host or
    page visited without check_a11y fails the test.
    """
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        settings = {**DESKTOP, **options, "base_url": live_server}
        context = browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        watch = Watch(base_url=live_server)
        context.on("console", watch.on_console)
        context.on("request", watch.on_request)
        context.on("response", watch.on_response)
        context.on("page", lambda p: _watch(p, watch))  # pages the app opens itself too
        _WATCHES[context] = watch
        contexts.append(context)
        page = context.new_page()
        _watch(page, watch)
        return page

    yield make
    call = getattr(request.node, "report_call", None)
    failed = call is not None and call.failed  # then pages left unchecked are no news
    problems: list[str] = []
    for number, context in enumerate(contexts, start=1):
        context.close()  # also delivers any events still on their way
        watch = _WATCHES.pop(context)
        label = f"user {number}: " if len(contexts) > 1 else ""
        problems += [label + p for p in watch.problems[watch.reported :]]
        if not failed:
            problems += [f"{label}visited without check_a11y: {url}" for url in watch.unchecked()]
    if problems:
        pytest.fail("problems in the browser:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def page(new_page) -> Any:
    """One user's page on the live server (desktop, Finnish)."""
    return new_page()


# --- accessibility -----------------------------------------------------------------------------

_AXE_SOURCE: str | None = None


def _axe_source() -> str:
    """axe-core as shipped by axe-playwright-python (no download, nothing from another host)."""
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    return _AXE_SOURCE


# What axe-core's verdict depends on: the document (a form's CSRF token aside: it differs on
# every load and is no part of what a reader meets), the viewport and the media it matches.
# Digested in the page, so a big page is not copied over to the test.
_RENDERING = r"""async () => {
  const markup = document.documentElement.outerHTML.replace(
    /(name="csrf_token"[^>]*?value|name="csrf-token"[^>]*?content)="[^"]*"/g, '$1=""');
  const rendering = JSON.stringify([markup, innerWidth, innerHeight, devicePixelRatio,
    matchMedia('(pointer: coarse)').matches, matchMedia('(prefers-reduced-motion: reduce)').matches]);
  if (!window.crypto || !crypto.subtle) {
    return rendering;
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(rendering));
  return Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0')).join('');
}"""
_VERDICTS: dict[str, list[dict]] = {}  # per test process; a few hundred at most
_MAX_VERDICTS = 2000


def run_axe(page: Any) -> list[dict]:
    """axe-core's violations on the current page (every impact).

    The script is evaluated through the DevTools protocol, which the page's CSP
    (`script-src 'self'`) does not govern, so the app's policy stays as strict as in production.
    A page rendered exactly as one checked before (the same markup at the same viewport and
    media) gets that check's verdict: every journey starts at the same login page, and axe
    takes a third of a second on a big page, most of it on colour contrast.
    """
    page.wait_for_load_state("load")
    key = page.evaluate(_RENDERING)
    if key not in _VERDICTS:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(_axe_source())
        # Without a CSS selector for every node checked (a twentieth of axe's time); a page
        # with violations is checked again with them, so that the failure names its elements.
        violations = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations'], selectors: false})"
        )["violations"]
        if violations:
            violations = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
        if len(_VERDICTS) >= _MAX_VERDICTS:
            _VERDICTS.clear()
        _VERDICTS[key] = violations
    return _VERDICTS[key]


def format_violations(violations: list[dict], url: str) -> str:
    lines = [f"accessibility violations on {url}:"]
    for v in violations:
        targets = [", ".join(map(str, node["target"])) for node in v["nodes"][:3]]
        more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} -> {'; '.join(targets)}{more}")
    return "\n".join(lines)


def _check_a11y(page: Any) -> None:
    """Fail on axe violations of impact serious or critical, and on problems seen so far."""
    watch = _WATCHES.get(page.context)
    violations = [v for v in run_axe(page) if v["impact"] in FAILING_IMPACTS]
    if watch is not None:
        watch.checked.add(page.url.split("#")[0])
        new = watch.problems[watch.reported :]
        watch.reported = len(watch.problems)
        if new:
            pytest.fail("problems in the browser:\n  " + "\n  ".join(new), pytrace=False)
    if violations:
        pytest.fail(format_violations(violations, page.url), pytrace=False)


@pytest.fixture
def check_a11y() -> Callable[[Any], None]:
    """check_a11y(page): run axe-core on the page as it is now. Call it once the page shows
    what the test expects (after an `expect(...)`), on every page and state the test visits."""
    return _check_a11y


@pytest.fixture
def sign_in() -> Callable[[Any, dict], None]:
    """sign_in(page, who): sign in through the login page; both the login page and the page
    it leads to get their accessibility check."""

    def do(page: Any, who: dict) -> None:
        page.goto("/login")
        _check_a11y(page)
        page.locator("#username").fill(who["username"])
        page.locator("#password").fill(who["password"])
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/login" not in url)
        _check_a11y(page)

    return do


# --- the UI's own words ------------------------------------------------------------------------


@pytest.fixture
def ui_text(live_app) -> Callable[..., str]:
    """ui_text(lang, msgid, **params): a UI string as the app shows it in that language, so
    tests can find labels without copying translations (and notice a missing one)."""
    from flask_babel import force_locale, gettext

    def translate(lang: str, msgid: str, **params: Any) -> str:
        with live_app.test_request_context(), force_locale(lang):
            return gettext(msgid, **params)

    return translate
