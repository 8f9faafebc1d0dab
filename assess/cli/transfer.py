"""`assess export ORG FILE.json` and `assess import FILE.json [--name NEW NAME]`: moving one
organisation's whole data between installations (format: assess.transfer)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .. import transfer
from ..state import content, get_db
from ..storage import transfer as store


@click.command("export")
@click.argument("org")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_command(org: str, file: Path) -> None:
    """Write one organisation's whole data to FILE (JSON). ORG is its identifier or id."""
    db = get_db()
    found = store.find_org(db, org)
    if found is None:
        raise click.ClickException(f"no organisation with the identifier or id {org!r}")
    document = store.export_org(db, found["id"])
    tmp = file.with_name(f".{file.name}.tmp")
    tmp.write_text(transfer.dump(document), encoding="utf-8")
    tmp.replace(file)  # never a half-written export under the real name
    click.echo(
        f"Exported {found['name']} ({found['slug']}) to {file}: "
        f"{len(document['assessments'])} assessments, "
        f"{len(document['plan_entries'])} plan entries, "
        f"{len(document['metric_values'])} metric values."
    )


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--name",
    "new_name",
    help="A new name for the organisation, when the file's name or identifier is already in use here.",
)
@with_appcontext
def import_command(file: Path, new_name: str | None) -> None:
    """Import an organisation exported with `assess export`.

    The whole file is checked first; when anything is wrong every problem is listed and
    nothing is written. The new organisation's identifier is printed alone on the last line.
    """
    # The same bound as an upload on the web: a huge file is refused before it is read.
    limit = int(current_app.config["MAX_CONTENT_LENGTH"])
    if file.stat().st_size > limit:
        raise click.ClickException(
            f"{file} is larger than {limit / 1024 / 1024:g} MB, the most an export file may be "
            "(setting MAX_CONTENT_LENGTH); nothing was written."
        )
    doc, problems = transfer.load(file.read_bytes())
    checked = transfer.validate(doc, content()) if not problems else None
    if checked is not None:
        problems = checked.problems
    if problems:
        click.echo(f"{file} cannot be imported; nothing was written. Problems ({len(problems)}):", err=True)
        for problem in problems:
            click.echo(f"  - {problem.text()}", err=True)
        raise SystemExit(1)
    assert checked is not None
    if new_name is not None and not new_name.strip():
        raise click.ClickException("--name must not be empty")
    try:
        org = store.import_org(get_db(), doc, checked.contents, name=new_name)
    except store.NameTaken as exc:
        raise click.ClickException(
            f"an organisation named {exc.name!r} (or with the identifier "
            f"{doc['organisation']['slug']!r}) already exists; nothing was written. "
            'Import it under a new name with --name "NEW NAME".'
            if new_name is None
            else f"an organisation named {exc.name!r} already exists; nothing was written. "
            "Choose another name with --name."
        ) from None
    click.echo(
        f"Imported {org['name']}: {len(doc['assessments'])} assessments, "
        f"{len(doc['plan_entries'])} plan entries, "
        f"{len(doc['metric_values'])} metric values. Its identifier:"
    )
    click.echo(org["slug"])


def register(app: Flask) -> None:
    for command in (export_command, import_command):
        app.cli.add_command(command)
