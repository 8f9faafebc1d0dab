"""The `assess` command line: Flask's CLI with the tool's own commands."""

from __future__ import annotations

import errno
import json
import sqlite3
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from ..content import ContentError, to_document
from ..formatting import format_date


def _create_app() -> Flask:
    from .. import create_app

    return create_app()


@click.group(
    cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False, set_debug_flag=False
)
def cli() -> None:
    """Hankintapolku: procurement maturity self-assessment.

    Start the app with `assess run` (development server) or `assess serve` (production
    server for workshops and shared use).
    """


def main() -> None:
    """Entry point: content problems are reported as a list, never as a traceback."""
    from .. import ConfigError

    try:
        cli.main(prog_name="assess")
    except ConfigError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except (OSError, sqlite3.Error) as exc:
        # A full disk, a read-only database, a file that cannot be read: one line, no traceback.
        click.echo(f"Error: {describe_failure(exc)}", err=True)
        sys.exit(1)
    except ContentError as exc:
        click.echo("The content files have problems; the app cannot start:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)


def describe_failure(exc: BaseException) -> str:
    """One line saying what went wrong with a file, the disk or the database."""
    if isinstance(exc, sqlite3.Error):
        return f"the database could not be used: {exc}"
    if isinstance(exc, OSError):
        what = exc.strerror or str(exc)
        if exc.errno in (errno.ENOSPC, errno.EFBIG):
            what = "the disk is full"
        return f"{what}: {exc.filename}" if exc.filename else what
    return str(exc)


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Validate the content files and print what they hold."""
    content = current_app.extensions["content"]
    items = sum(len(s.goals) + len(s.actions) for a in content.areas for s in a.steps)
    click.echo(f"Content version {content.version}: OK")
    click.echo(f"  files: {', '.join(f'{k} v{v}' for k, v in content.file_versions.items())}")
    click.echo(
        f"  roadmap: {len(content.areas)} areas, "
        f"{sum(len(a.steps) for a in content.areas)} steps, {items} items"
    )
    metrics = sum(len(a.metrics) for g in content.goals for a in g.actions)
    click.echo(
        f"  programme: {len(content.themes)} themes, {len(content.goals)} goals, "
        f"{sum(len(g.actions) for g in content.goals)} actions, {metrics} metrics"
    )
    click.echo(f"  links: {len(content.links)}")
    for q in content.questionnaires:
        click.echo(f"  questionnaire {q.id}: {len(q.items)} items, threshold {q.threshold}")


@click.command("content")
@click.option("--json", "as_json", is_flag=True, help="Print the whole content as one JSON document.")
@with_appcontext
def content_command(as_json: bool) -> None:
    """Print the loaded content (with --json: the same document as GET /api/content)."""
    content = current_app.extensions["content"]
    if as_json:
        click.echo(json.dumps(to_document(content), ensure_ascii=False, indent=2))
        return
    for area in content.areas:
        click.echo(area.title.fi.upper())
        for step in area.steps:
            click.echo(
                f"  {step.year}. {step.title.fi}  ({len(step.goals)} goals, {len(step.actions)} actions)"
            )


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers", default=None, type=click.IntRange(1, 64), help="Worker processes (default: one per core)."
)
@click.option(
    "--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="Threads per worker process."
)
def serve_command(host: str, port: int, workers: int | None, threads: int) -> None:
    """Serve with gunicorn, the production server (use this for workshops)."""
    from .. import create_app, server

    workers = workers or server.default_workers()
    # SERVER_THREADS lets the workshop gate (room_gate) keep threads free for the facilitator;
    # DB_POOL keeps each thread's database connection between requests.
    app = create_app({"SERVER_THREADS": threads, "DB_POOL": True})
    try:
        server.check_address(host, port)
    except server.CannotListen as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port} ({exc}). Is the app already running there? "
            "Choose another port with --port."
        ) from None
    from .. import retention
    from ..storage.db import open_db

    db = open_db(app.config["DATABASE"])
    try:  # the retention rule on start; then daily while serving (retention.init_app)
        with app.app_context():
            retention.apply_daily(db, app)
    finally:
        db.conn.close()
    click.echo(
        f"Serving Hankintapolku on http://{host}:{port} "
        f"(gunicorn, {workers} worker processes x {threads} threads)"
    )
    server.run(app, host=host, port=port, workers=workers, threads=threads)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(file: str) -> None:
    """Copy the whole database to FILE while the app keeps serving."""
    from ..state import get_db
    from ..storage import security_log
    from ..storage.backup import backup_database

    try:
        result = backup_database(current_app.config["DATABASE"], file)
    except (OSError, sqlite3.Error) as exc:
        security_log.record(
            get_db(), "backup", "failed", username="(command line)", detail=f"{file}: {describe_failure(exc)}"
        )
        raise click.ClickException(f"no backup was written: {describe_failure(exc)}") from None
    security_log.record(
        get_db(), "backup", "ok" if result == "ok" else "failed", username="(command line)", detail=str(file)
    )
    if result != "ok":
        raise click.ClickException(f"the copy failed its integrity check: {result}")
    click.echo(f"Backup written to {file} (integrity check: ok)")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would change.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Apply the retention rule: respondents' names in rounds closed more than
    RETENTION_MONTHS ago (default 24) become "Vastaaja 1..n"."""
    from .. import retention
    from ..state import get_db

    try:
        months = retention.months()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db = get_db()
    rows = retention.due(db, months) if dry_run else retention.apply(db, months)
    verb = "Would replace" if dry_run else "Replaced"
    if not rows:
        click.echo(f"Nothing to do: no closed round older than {months} months holds names.")
    for row in rows:
        title = row["title"] or f"{row['questionnaire']} {row['year']}"
        click.echo(
            f"{verb} {row['names']} name(s) in {row['org_name']}: {title} "
            f"(closed {format_date(row['finalised_at'], 'en')})"
        )
    if dry_run and rows:
        click.echo("Nothing was changed (--dry-run). Run `assess purge` to do it.")


def register_commands(app: Flask) -> None:
    for command in (check_command, content_command, serve_command, backup_command, purge_command):
        app.cli.add_command(command)
    from .score import score_command  # assess score

    app.cli.add_command(score_command)
    from .demo import demo_command  # assess demo

    app.cli.add_command(demo_command)
    from .transfer import register as register_transfer  # export, import

    register_transfer(app)
    from .owndata import register as register_owndata  # spend, hilma

    register_owndata(app)
    from .benchmark import register as register_benchmark  # pooled benchmark files

    register_benchmark(app)
