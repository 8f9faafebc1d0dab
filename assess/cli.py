"""The `assess` command line: Flask's CLI with the tool's own commands."""

from __future__ import annotations

import json
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
    except ContentError as exc:
        click.echo("The content files have problems; the app cannot start:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)


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
    from waitress import serve

    from . import create_app

    app = create_app()
    click.echo(f"Serving Hankintapolku on http://{host}:{port} (waitress, {threads} threads)")
    # A workshop room keeps one connection per phone open (they poll every second): waitress's
    # default limit of 100 connections would leave the rest of a 200-person room waiting, and
    # poll() instead of select() has no 1024-descriptor ceiling.
    serve(app, host=host, port=port, threads=threads, ident="hankintapolku",
          connection_limit=1000, asyncore_use_poll=True)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(file: str) -> None:
    """Copy the whole database to FILE while the app keeps serving."""
    from .storage.backup import backup_database

    result = backup_database(current_app.config["DATABASE"], file)
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
