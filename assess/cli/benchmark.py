"""`assess benchmark export|import|sources|remove`: pooling benchmark results across
installations (file format: assess.benchmark_pool)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from .. import benchmark_pool
from ..benchmark_pool import PoolFileError
from ..pages import benchmark_data
from ..state import content, get_db, profile_classes
from ..storage import benchmark as store

DEFAULT_NAME = "Hankintapolku"


@click.group("benchmark")
def benchmark_group() -> None:
    """Pool the anonymous benchmark with other installations."""


@benchmark_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--source-name",
    default=DEFAULT_NAME,
    show_default=True,
    help="How the installation is named where the file is imported.",
)
@with_appcontext
def export_command(file: Path, source_name: str) -> None:
    """Write the consenting organisations' counted results to FILE as anonymised rows."""
    if not source_name.strip() or len(source_name) > benchmark_pool.MAX_NAME:
        raise click.ClickException(f"--source-name must be 1-{benchmark_pool.MAX_NAME} characters")
    document = benchmark_data.export_document(get_db(), source_name.strip())
    tmp = file.with_name(f".{file.name}.tmp")
    try:
        tmp.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(file)  # never a half-written file under the real name
    except OSError as exc:
        raise click.ClickException(f"cannot write {file}: {exc.strerror}") from None
    organisations = len({r["pseudonym"] for r in document["rows"]})
    click.echo(f"Exported {len(document['rows'])} rows of {organisations} organisations to {file}.")


def _fail(file: Path, message: str) -> None:
    click.echo(f"Error: {file}: {message}. Nothing was imported.", err=True)
    raise SystemExit(1)


@benchmark_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def import_command(file: Path) -> None:
    """Add another installation's exported rows to the pooled benchmark.

    The whole file is checked before anything is written. Importing the same file again
    changes nothing; a newer export of the same installation replaces its rows.
    """
    try:
        data = file.read_bytes()
    except OSError as exc:
        _fail(file, f"cannot be read ({exc.strerror})")
    current = content()
    try:
        head, rows = benchmark_pool.validate(
            benchmark_pool.parse(data),
            profile_classes(),
            [q.id for q in current.questionnaires],
            [a.id for a in current.areas],
        )
    except PoolFileError as exc:
        _fail(file, str(exc))
    db = get_db()
    if head["installation"] == store.installation(db)["installation"]:
        _fail(file, "this is this installation's own export; its organisations are in the benchmark already")
    outcome = store.import_rows(db, head, rows, benchmark_pool.digest(data))
    organisations = len({r["pseudonym"] for r in rows})
    if outcome == "same":
        click.echo(f"{head['name']}: this file was imported already; nothing changed.")
    elif outcome == "older":
        click.echo(
            f"{head['name']}: a newer export of this installation is imported already; nothing changed."
        )
    elif outcome == "replaced":
        click.echo(
            f"{head['name']}: replaced its earlier rows with {len(rows)} rows of "
            f"{organisations} organisations."
        )
    else:
        click.echo(f"{head['name']}: added {len(rows)} rows of {organisations} organisations.")


@benchmark_group.command("sources")
@with_appcontext
def sources_command() -> None:
    """List the imported sources (installation id, name, organisations, dates)."""
    found = store.sources(get_db())
    if not found:
        click.echo("No results have been pooled from other installations.")
    for s in found:
        click.echo(
            f"{s['installation']}  {s['name']}: {s['organisations']} organisations, "
            f"{s['years']} years, exported {s['exported_at']}, imported {s['imported_at']}"
        )


@benchmark_group.command("remove")
@click.argument("source")
@with_appcontext
def remove_command(source: str) -> None:
    """Remove an imported source's rows. SOURCE is its installation id (see `sources`) or
    its name."""
    db = get_db()
    found = store.source(db, source)
    if found is None:
        click.echo(
            f"Error: no imported source {source!r} (see `assess benchmark sources`). Nothing was removed.",
            err=True,
        )
        raise SystemExit(1)
    store.remove_source(db, found["id"])
    click.echo(f"Removed the pooled results of {found['name']}.")


def register(app: Flask) -> None:
    app.cli.add_command(benchmark_group)
