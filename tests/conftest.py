"""Shared fixtures: an app on a real SQLite file in tmp_path, its client and CLI runner."""

from __future__ import annotations

import atexit
import gc
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest
from bs4 import BeautifulSoup

from assess import ROOT, create_app, static_files
from assess import state as app_state
from assess.storage import accounts
from assess.storage.db import open_db
from assess.storage.schema import migrate

# Every user a fixture creates costs a password hash: scrypt takes 0.1-0.4 s on this machine,
# which made most of the suite's time. Tests hash cheaply; test_auth checks the real default.
accounts.HASH_METHOD = "pbkdf2:sha256:1"

# A test process makes and drops hundreds of thousands of small objects per test (parsed pages,
# rendered templates, rows): with the collector's default of a young-generation pass every 700
# allocations, its passes were a fourteenth of the CPU. What the imports made is frozen out of
# the passes; the older generations are still collected, so memory stays bounded.
gc.freeze()
gc.set_threshold(50_000, 20, 50)

ADMIN = {"username": "admin", "password": "salasana-123"}
LEAD = {"username": "liisa", "password": "salasana-456"}
VIEWER = {"username": "ville", "password": "salasana-789"}


# --- what every app of the test process shares ----------------------------------------------
# Most tests build an app of their own on an empty database. Two parts of that were the same
# every time and cost most of it: reading and validating questionnaires/ (YAML) and running
# every migration. The repository's content is read once per process (again only if a file
# changes), and a new database file starts as a copy of one migrated once per process;
# create_app then finds no migration to run and does the rest as usual (stores the content
# version with the test's own clock). Content in another folder (tests that break a copy on
# purpose) and databases that already exist are read and migrated as in production.

CONTENT_DIR = ROOT / "questionnaires"


def _content_signature() -> tuple:
    return tuple(
        sorted(
            (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in CONTENT_DIR.rglob("*") if p.is_file()
        )
    )


def _read_once(load: Callable[[Path], Any]) -> Callable[[Path], Any]:
    """load(folder), remembered for the repository's content folder while its files are the same."""
    memo: dict[tuple, Any] = {}

    def cached(folder: Path) -> Any:
        if Path(folder).resolve() != CONTENT_DIR.resolve():
            return load(folder)
        key = _content_signature()
        if key not in memo:
            memo.clear()
            memo[key] = load(folder)
        return memo[key]

    cached.__wrapped__ = load  # type: ignore[attr-defined]
    return cached


if not hasattr(app_state.load_content, "__wrapped__"):
    app_state.load_content = _read_once(app_state.load_content)
    app_state.load_profile_classes = _read_once(app_state.load_profile_classes)


def _share_url_builders() -> None:
    """Werkzeug writes and compiles a Python function to build the URLs of each route, for every
    app anew: half of what building an app costs, and the suite builds a thousand. The function
    depends only on the route's parts (it takes the rule as its first argument), so the apps of
    the process share one per route. Werkzeug is pinned (constraints.txt); if it ever renames
    this method, apps simply compile their own again."""
    from werkzeug.routing.rules import Rule

    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None or hasattr(compile_builder, "shared"):
        return
    builders: dict[tuple, Any] = {}

    def shared(self: Rule, append_unknown: bool = True) -> Any:
        key = (
            tuple(self._trace),
            repr(sorted((self.defaults or {}).items())),
            append_unknown,
            tuple((name, type(converter)) for name, converter in self._converters.items()),
        )
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    shared.shared = True  # type: ignore[attr-defined]
    Rule._compile_builder = shared  # type: ignore[method-assign]


_share_url_builders()
_template: Path | None = None


def _migrated_template() -> Path:
    """An empty database with every migration applied, made once per process."""
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="assess-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "template.db"
        db = open_db(path)
        try:
            migrate(db)
        finally:
            db.conn.close()  # the last connection checkpoints the WAL into the file
        _template = path
    return _template


def fresh_database(path: str | Path) -> None:
    """A migrated empty database at path, unless a file is already there."""
    if str(path) == ":memory:" or Path(path).exists():
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_migrated_template(), path)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for every app of the process. Each app has a Jinja
    environment of its own and compiled every template it rendered again, which was a sixth
    of the suite's time; the cache checks each template's source, so an edit still counts."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


def create_test_app(settings: dict):
    """create_app on a migrated copy of the database, with the process's compiled templates."""
    fresh_database(settings["DATABASE"])
    app = create_app(settings)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return app


def make_app(tmp_path: Path, **config):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE": str(tmp_path / "assess.db"),
        "CONTENT_DIR": str(ROOT / "questionnaires"),
    }
    settings.update(config)
    return create_test_app(settings)


_compressed: Path | None = None


def share_compressed_files(instance: Path) -> None:
    """Let the instance's folder of gzipped static files be one folder of the process.

    Its files are named by their content's digest, so apps can share them; without this every
    test app gzipped the stylesheet and scripts again at level 9 (a twentieth of the suite's
    time). Tests of a read-only or broken instance make their folders themselves."""
    global _compressed
    if _compressed is None:
        _compressed = Path(tempfile.mkdtemp(prefix="assess-compressed-"))
        atexit.register(shutil.rmtree, _compressed, ignore_errors=True)
    link = instance / static_files.CACHE_FOLDER
    if not link.exists():
        instance.mkdir(parents=True, exist_ok=True)
        link.symlink_to(_compressed, target_is_directory=True)


@pytest.fixture
def app(tmp_path):
    """An app with CSRF on, as in production: tests send the token like a browser does."""
    share_compressed_files(tmp_path / "instance")
    return make_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    database = open_db(app.config["DATABASE"])
    yield database
    database.conn.close()


@pytest.fixture
def seeded(app, db):
    """An administrator, two organisations, a lead and a viewer of the first one."""
    return seed_accounts(db)


def csrf_token(client, path: str) -> str:
    """The CSRF token from a page's form, read like a browser would."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict, *, token_from: str | None = None, **kwargs):
    """POST a form with a valid CSRF token taken from the page (or token_from)."""
    data = dict(data)
    data.setdefault("csrf_token", csrf_token(client, token_from or path))
    return client.post(path, data=data, **kwargs)


def login(client, who: dict):
    response = post_form(client, "/login", {"username": who["username"], "password": who["password"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


# --- the order the workers take the tests in -------------------------------------------------


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first, then the browser journeys, then the rest. A worker of pytest-xdist
    that runs out of work takes tests from the end of another's queue: with the short tests
    last, the two finish within seconds of each other instead of one waiting for a journey."""

    def weight(item: pytest.Item) -> int:
        if item.get_closest_marker("long"):
            return 0
        return 1 if "browser" in Path(str(item.path)).parts else 2

    items.sort(key=weight)


# --- shared by several test files ------------------------------------------------------------


def seed_accounts(db) -> dict:
    """The usual accounts: an administrator, two organisations, a lead and a viewer of the
    first one (ADMIN, LEAD and VIEWER hold their credentials)."""
    admin = accounts.create_user(db, ADMIN["username"], ADMIN["password"], is_admin=True)
    org = accounts.create_org(db, "Hyvinkää")
    other = accounts.create_org(db, "Muu kunta")
    lead = accounts.create_user(db, LEAD["username"], LEAD["password"], display_name="Liisa Lead")
    viewer = accounts.create_user(db, VIEWER["username"], VIEWER["password"])
    accounts.grant(db, lead["id"], org["id"], "lead")
    accounts.grant(db, viewer["id"], org["id"], "viewer")
    return {"admin": admin, "org": org, "other": other, "lead": lead, "viewer": viewer}


@pytest.fixture
def lead(client, seeded):
    """The client, signed in as the seeded lead."""
    login(client, LEAD)
    return client


@pytest.fixture
def viewer(client, seeded):
    """The client, signed in as the seeded viewer."""
    login(client, VIEWER)
    return client


@pytest.fixture
def demo(seeded, runner, db):
    """The demo organisation (`assess demo`), with the seeded lead and viewer granted it."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    org = accounts.get_org_by_slug(db, result.output.strip().splitlines()[-1])
    accounts.grant(db, seeded["lead"]["id"], org["id"], "lead")
    accounts.grant(db, seeded["viewer"]["id"], org["id"], "viewer")
    return org


def form_state(response, form_class: str = "area-form") -> dict[str, str]:
    """What a browser would post from the page's form as loaded (nothing changed)."""
    form = soup(response).find("form", class_=form_class)
    assert form is not None, f"no form .{form_class} on the page"
    data: dict[str, str] = {}
    for inp in form.find_all("input"):
        name = inp.get("name")
        if not name:
            continue
        if inp.get("type") == "radio":
            if inp.has_attr("checked"):
                data[name] = inp["value"]
        else:
            data[name] = inp.get("value", "")
    for text in form.find_all("textarea"):
        data[text["name"]] = text.get_text()
    return data


def error_summary_text(response) -> str:
    """The text of the page's error summary; "" when it has none."""
    box = soup(response).find(class_="error-summary")
    return box.get_text(" ", strip=True) if box else ""
