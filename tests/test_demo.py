"""`assess demo`: a demo organisation with four years of history, and removing it again."""

from __future__ import annotations

from assess import clock
from assess.storage import accounts, assessments, metrics, plan


def current_version(db) -> str:
    return db.execute("SELECT version FROM content_versions").fetchone()[0]


def run_demo(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result


def test_demo_creates_a_marked_organisation_with_four_years_and_prints_its_slug_last(runner, db):
    result = run_demo(runner)
    slug = result.output.strip().splitlines()[-1]
    org = accounts.get_org_by_slug(db, slug)
    assert org is not None, f"last line {slug!r} is not an organisation's identifier"
    assert org["is_demo"] == 1 and "demo" in org["name"].lower()
    this_year = clock.today().year
    assert org["path_start_year"] == this_year - 3

    final = db.execute(
        "SELECT year, kind, counts FROM assessments WHERE org_id = ? AND status = 'final' ORDER BY year",
        (org["id"],),
    ).fetchall()
    counted = {r["year"]: r["kind"] for r in final if r["counts"]}
    assert sorted(counted) == [this_year - 3, this_year - 2, this_year - 1, this_year]
    assert "round" in counted.values() and "single" in counted.values()
    # One year has two final assessments, so the lead's choice of which counts shows.
    years = [r["year"] for r in final]
    assert len(years) > len(set(years))

    round_id = db.execute(
        "SELECT id FROM assessments WHERE org_id = ? AND kind = 'round'", (org["id"],)
    ).fetchone()[0]
    respondents = db.execute(
        "SELECT COUNT(*) FROM respondents WHERE assessment_id = ?", (round_id,)
    ).fetchone()[0]
    assert respondents >= 3
    assert (
        db.execute("SELECT COUNT(*) FROM agreements WHERE assessment_id = ?", (round_id,)).fetchone()[0] == 8
    )

    entries = plan.entries(db, org["id"])
    assert {"planned", "in_progress", "done", "dropped"} <= {e["status"] for e in entries}
    assert all(e["done_at"] for e in entries if e["status"] == "done")
    assert (
        db.execute("SELECT COUNT(DISTINCT year) FROM targets WHERE org_id = ?", (org["id"],)).fetchone()[0]
        >= 4
    )
    metrics = db.execute(
        "SELECT COUNT(DISTINCT metric), COUNT(DISTINCT year) FROM metric_values WHERE org_id = ?",
        (org["id"],),
    ).fetchone()
    assert metrics[0] >= 5 and metrics[1] == 4
    # Nobody was given access: administrators see every organisation anyway.
    assert db.execute("SELECT COUNT(*) FROM memberships WHERE org_id = ?", (org["id"],)).fetchone()[0] == 0


def test_demo_answers_improve_and_a_content_version_change_is_included(app, runner, db):
    slug = run_demo(runner).output.strip().splitlines()[-1]
    org = accounts.get_org_by_slug(db, slug)
    with app.app_context():
        from assess.state import content_at
        from assess.storage import history

        counted = history.counting(db, org["id"])
        results = history.final_results(db, counted.values(), content_at)
    first, last = counted[min(counted)], counted[max(counted)]
    first_index = {a["area"]: a["index"] for a in results[first["id"]]["areas"]}
    last_index = {a["area"]: a["index"] for a in results[last["id"]]["areas"]}
    assert all(last_index[a] > first_index[a] for a in first_index)
    assert first["content_version"] != last["content_version"]


def test_second_demo_is_refused_and_remove_takes_only_demo_data(runner, db, seeded):
    version = current_version(db)  # the only one before the demo
    slug = run_demo(runner).output.strip().splitlines()[-1]
    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0
    assert slug in again.output and "--remove" in again.output
    assert db.execute("SELECT COUNT(*) FROM organisations WHERE is_demo = 1").fetchone()[0] == 1

    # A real organisation's data, which removing the demo must leave alone.
    real = seeded["org"]["id"]
    assessments.create_assessment(
        db,
        org_id=real,
        year=2025,
        questionnaire="quick",
        content_version=version,
        kind="single",
        created_by=seeded["lead"]["id"],
    )
    metrics.set_targets(db, real, 2025, {"strategia": 2})
    plan.add_entry(db, real, text="Oma toimenpide", step="strategia-1", goal=None)

    removed = runner.invoke(args=["demo", "--remove"])
    assert removed.exit_code == 0, removed.output
    assert slug in removed.output
    assert accounts.get_org_by_slug(db, slug) is None
    for table in ("assessments", "plan_entries", "targets"):
        left = db.execute(f"SELECT DISTINCT org_id FROM {table}").fetchall()
        assert [r[0] for r in left] == [real], table
    assert db.execute("SELECT COUNT(*) FROM metric_values").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 0
    # The seeded organisations and users stay; the current content version stays.
    assert db.execute("SELECT COUNT(*) FROM organisations").fetchone()[0] == 2
    assert db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 3
    assert db.execute("SELECT COUNT(*) FROM content_versions").fetchone()[0] == 1

    # After removal a new demo can be made again.
    assert run_demo(runner).output.strip().splitlines()[-1] == slug


def test_remove_without_a_demo_says_so(runner):
    result = runner.invoke(args=["demo", "--remove"])
    assert result.exit_code == 0
    assert "no demo organisation" in result.output.lower()
