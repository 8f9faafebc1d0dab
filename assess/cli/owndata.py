"""`assess spend ORG INVOICES.csv --suppliers SUPPLIERS.csv [--local M ...] [--save]` and
`assess hilma ORG NOTICES.json [--save]`: the own-data figures on the command line.

The JSON printed on stdout is a contract other tools rely on (see the README). A file
with problems prints every one on stderr, naming row and column, exits with 1 and saves
nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from .. import own_import
from ..owndata import notices, spend
from ..owndata.spend import Refused
from ..state import get_db
from ..storage import accounts
from ..storage import owndata as store
from ..storage.rows import OrganisationRow

MAX_NOTICE_FILE = 64 * 1024 * 1024


def _org(slug: str) -> OrganisationRow:
    found = accounts.get_org_by_slug(get_db(), slug)
    if found is None:
        raise click.ClickException(f"no organisation with the identifier {slug!r}")
    return found


def _refuse(file: Path, refused: Refused, describe) -> None:
    total = len(refused.problems) + refused.more
    click.echo(f"{file} was not imported; nothing was saved. Problems ({total}):", err=True)
    for problem in refused.problems:
        click.echo(f"  - {describe(problem)}", err=True)
    if refused.more:
        click.echo(f"  - ... and {refused.more} more", err=True)
    sys.exit(1)


@click.command("spend")
@click.argument("org")
@click.argument("invoices", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--suppliers",
    "suppliers_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of supplier business id -> municipality (from the business register).",
)
@click.option(
    "--local",
    "local",
    multiple=True,
    metavar="MUNICIPALITY",
    help="A municipality whose suppliers count as local (repeat for several). "
    "Default: the organisation's own municipality from its settings.",
)
@click.option("--save", is_flag=True, help="Store the rows and the proposed figures.")
@with_appcontext
def spend_command(org: str, invoices: Path, suppliers_file: Path, local: tuple[str, ...], save: bool) -> None:
    """Compute spend figures per year from a purchase-invoice CSV and print them as JSON."""
    db = get_db()
    found = _org(org)
    chosen = [m.strip() for m in local if m.strip()]
    if not chosen:
        chosen = store.local_municipalities(store.settings(db, found["id"]))
    if not chosen:
        raise click.ClickException(
            "no local municipality: give --local MUNICIPALITY, or set the organisation's home "
            "municipality on its own-data page"
        )
    try:
        detected = own_import.detect_invoices(invoices)
        result = own_import.import_invoices(
            db if save else None,
            found["id"] if save else None,
            invoices,
            detected,
            suppliers_file,
            chosen,
            file_name=invoices.name,
        )
    except Refused as refused:
        _refuse(suppliers_file if refused.file == "suppliers" else invoices, refused, spend.describe)
        return
    click.echo(json.dumps(result.contract(), ensure_ascii=False, indent=2))


@click.command("hilma")
@click.argument("org")
@click.argument(
    "notices_file", metavar="NOTICES.json", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--save", is_flag=True, help="Store the notices and the proposed figures.")
@with_appcontext
def hilma_command(org: str, notices_file: Path, save: bool) -> None:
    """Count the organisation's Hilma notices per year (JSON or CSV export) and print JSON."""
    db = get_db()
    found = _org(org)
    if notices_file.stat().st_size > MAX_NOTICE_FILE:
        raise click.ClickException(f"{notices_file} is larger than 64 MB")
    business_ids = store.settings(db, found["id"])["business_ids"]
    try:
        data = notices_file.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{notices_file} cannot be read: {exc.strerror}") from exc
    try:
        kept = own_import.import_notices(
            db if save else None,
            found["id"] if save else None,
            data,
            business_ids,
            file_name=notices_file.name,
        )
    except Refused as refused:
        _refuse(notices_file, refused, notices.describe)
        return
    click.echo(json.dumps(notices.contract(kept), ensure_ascii=False, indent=2))


def register(app: Flask) -> None:
    app.cli.add_command(spend_command)
    app.cli.add_command(hilma_command)
