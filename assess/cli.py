"""The `assess` command line: Flask's CLI with the tool's own commands."""

from __future__ import annotations

import errno
import json
import sqlite3
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from .content import ContentError, to_document


def _create_app() -> Flask:
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def cli() -> None:
    """Hankintapolku: procurement maturity self-assessment.

    Start the app with `assess run` (development server) or `assess serve` (production
    server for workshops and shared use).
    """


def main() -> None:
    """Entry point: content problems are reported as a list, never as a traceback."""
    from . import ConfigError

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
    click.echo(f"  roadmap: {len(content.areas)} areas, "
               f"{sum(len(a.steps) for a in content.areas)} steps, {items} items")
    metrics = sum(len(a.metrics) for g in content.goals for a in g.actions)
    click.echo(f"  programme: {len(content.themes)} themes, {len(content.goals)} goals, "
               f"{sum(len(g.actions) for g in content.goals)} actions, {metrics} metrics")
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
            click.echo(f"  {step.year}. {step.title.fi}  ({len(step.goals)} goals, "
                       f"{len(step.actions)} actions)")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=16, show_default=True, type=int)
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve with waitress, the production WSGI server (use this for workshops)."""
    from waitress import create_server

    from . import create_app

    app = create_app()
    # A workshop room keeps one connection per phone open (they poll every second): waitress's
    # default limit of 100 connections would leave the rest of a 200-person room waiting, and
    # poll() instead of select() has no 1024-descriptor ceiling.
    try:
        server = create_server(app, host=host, port=port, threads=threads,
                               ident="hankintapolku", connection_limit=1000,
                               asyncore_use_poll=True)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} (is another server "
            "running there? Choose another --port)") from None
    click.echo(f"Serving Hankintapolku on http://{host}:{port} (waitress, {threads} threads)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(file: str) -> None:
    """Copy the whole database to FILE while the app keeps serving."""
    from .state import get_db
    from .storage import security_log
    from .storage.backup import backup_database

    try:
        result = backup_database(current_app.config["DATABASE"], file)
    except (OSError, sqlite3.Error) as exc:
        security_log.record(get_db(), "backup", "failed", username="(command line)",
                            detail=f"{file}: {describe_failure(exc)}")
        raise click.ClickException(f"no backup was written: {describe_failure(exc)}") from None
    security_log.record(get_db(), "backup", "ok" if result == "ok" else "failed",
                        username="(command line)", detail=str(file))
    if result != "ok":
        raise click.ClickException(f"the copy failed its integrity check: {result}")
    click.echo(f"Backup written to {file} (integrity check: ok)")


def register_commands(app: Flask) -> None:
    for command in (check_command, content_command, serve_command, backup_command):
        app.cli.add_command(command)
    from .cli_score import score_command  # issue 3/4: assess score

    app.cli.add_command(score_command)
    from .cli_demo import demo_command  # issue 6: assess demo
    app.cli.add_command(demo_command)
    from .cli_transfer import register as register_transfer  # issue 7: export, import
    register_transfer(app)
