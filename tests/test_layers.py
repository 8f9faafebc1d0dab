"""The layers' one direction of calls, read from the source: views/ holds blueprints that never
import each other, and the presenters in pages/ never import a blueprint."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "assess"
VIEWS = PACKAGE / "views"
VIEW_NAMES = {p.stem for p in VIEWS.glob("*.py")} - {"__init__"}


def imported_views(path: Path, package: tuple[str, ...] | None = None) -> set[str]:
    """The view modules that the module at ``path`` (in ``package``, by default where it lies)
    imports, however the import is written."""
    if package is None:
        package = path.parent.relative_to(PACKAGE.parent).parts  # e.g. ("assess", "views")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            target = base + (node.module.split(".") if node.module else [])
            if target[:2] == ["assess", "views"]:
                if len(target) > 2:
                    found.add(target[2])
                else:
                    found.update(a.name for a in node.names if a.name in VIEW_NAMES)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[:2] == ["assess", "views"] and len(parts) > 2:
                    found.add(parts[2])
    return found


def test_the_reader_finds_view_imports_in_every_spelling(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from . import auth, links\nfrom .plan import x\nfrom assess.views.rounds import y\n"
        "import assess.views.history\nfrom ..pages import links\n",
        encoding="utf-8",
    )
    assert imported_views(sample, ("assess", "views")) == {"auth", "plan", "rounds", "history"}
    assert imported_views(sample, ("assess", "pages")) == {"rounds", "history"}


def test_no_blueprint_imports_another() -> None:
    edges = {
        (p.stem, v)
        for p in VIEWS.glob("*.py")
        if p.stem != "__init__"
        for v in imported_views(p)
        if v != p.stem
    }
    assert edges == set(), f"views importing other views (move the shared part out): {sorted(edges)}"


def test_views_holds_only_blueprints() -> None:
    helpers = [
        p.name
        for p in VIEWS.glob("*.py")
        if p.stem != "__init__" and "Blueprint(" not in p.read_text(encoding="utf-8")
    ]
    assert helpers == [], f"not blueprints, move to assess/pages/ or a shared module: {helpers}"


def test_only_the_app_assembly_imports_a_blueprint() -> None:
    # The factory registers them (the server warms the plotly URLs from vendor_assets.py).
    assembly = {PACKAGE / "__init__.py"}
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.parent != VIEWS and p not in assembly and imported_views(p)
    ]
    assert offenders == [], f"modules that import blueprints: {offenders}"


def framework_globals() -> set[str]:
    """The names Flask, Jinja, Flask-Babel and Flask-WTF put in every app's template globals."""
    from flask import Flask
    from flask_babel import Babel
    from flask_wtf import CSRFProtect

    bare = Flask("bare")
    Babel(bare)
    CSRFProtect(bare)
    return set(bare.jinja_env.globals)


def test_template_globals_are_registered_in_one_place(tmp_path: Path) -> None:
    from conftest import make_app

    from assess import templating

    registered = set(make_app(tmp_path).jinja_env.globals)
    elsewhere = registered - framework_globals() - set(templating.GLOBALS)
    assert elsewhere == set(), (
        f"template globals registered outside assess/templating.py: {sorted(elsewhere)} (a route "
        "passes what its page shows; a pure helper goes in templating.GLOBALS)"
    )


def test_template_helpers_cannot_query() -> None:
    """assess/templating.py reads nothing from storage, so no helper can run a query."""
    path = PACKAGE / "templating.py"
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = ["assess"] if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            imported.update(".".join(module + [a.name]) for a in node.names)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    queries = sorted(
        name
        for name in imported
        if name.startswith(("assess.storage", "sqlite_utils", "sqlite3")) or name.endswith(".get_db")
    )
    assert queries == [], f"assess/templating.py imports storage: {queries}"
