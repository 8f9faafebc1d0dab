"""`assess demo` and `assess demo --remove` (the builder is assess/demo/build.py)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .. import demo
from ..demo import peers as demo_peers
from ..demo.build import build_demo, build_peers
from ..state import content, get_db
from ..storage import benchmark as benchmark_store
from ..storage import demo as demo_store


@click.command("demo")
@click.option("--remove", is_flag=True, help="Remove every demo organisation and all its data.")
@click.option(
    "--peers",
    type=click.IntRange(0, demo_peers.MAX_PEERS),
    default=0,
    help="Also create this many fictional peer organisations for the benchmark.",
)
@with_appcontext
def demo_command(remove: bool, peers: int) -> None:
    """Create a demo organisation with four years of history (prints its identifier last).

    With --peers N, also N fictional peers (marked "kuvitteellinen") that consent to the
    benchmark, so the benchmark page has figures. Only one demo exists at a time; remove it
    (peers included) with --remove.
    """
    db = get_db()
    current = content()
    if remove:
        benchmark_store.remove_demo_groups(db)
        removed = demo_store.remove_demo_orgs(db, keep_versions=(current.version,))
        if not removed:
            click.echo("There is no demo organisation to remove.")
        for org in removed:
            click.echo(f"Removed the demo organisation {org['name']} ({org['slug']}).")
        return
    existing = demo_store.demo_orgs(db)
    if existing:
        raise click.ClickException(
            f"A demo organisation already exists: {existing[0]['name']} ({existing[0]['slug']}). "
            "Remove it first with `assess demo --remove`."
        )
    org = build_demo(db, current)
    click.echo(
        f"Created the demo organisation {org['name']}: {demo.YEARS} years of history "
        f"from {org['path_start_year']}, with a team round, a plan, targets and "
        "programme metrics."
    )
    if peers:
        build_peers(db, current, org, peers)
        click.echo(
            f"Created {peers} fictional peer organisations for the benchmark, and the "
            f"comparison group {demo_peers.GROUP_NAME}."
        )
    click.echo("Administrators see it on the front page; grant it to other users in Administration.")
    click.echo(org["slug"])
