"""Building the demo in the database (`assess demo`): a clearly marked demo organisation
with four years of history.

The demo town answers the full questionnaire once a year for four years (the third year as
a team round of six respondents with agreed stages, the second year with an extra quick
assessment that does not count), keeps an action plan, sets targets and records programme
metric values, so every page of the history and follow-up is filled. Its first two years
were answered on an earlier edition of the full questionnaire (a few items fewer), so the
history also shows a change of content version.

Only one demo organisation exists at a time: a second `assess demo` refuses and says how
to remove the first (`assess demo --remove`), so repeated runs never pile up copies.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from .. import clock, demo, joincodes, scoring, team
from ..content import Content, to_document
from ..storage import accounts, assessments, content_store, metrics, rounds
from ..storage import benchmark as benchmark_store
from ..storage import demo as demo_store
from ..storage import plan as plan_store
from ..storage.db import write, written
from ..storage.rows import AssessmentRow, OrganisationRow
from . import peers as demo_peers

DEMO_NAME = "Esimerkkilän kaupunki (demo)"
QUESTIONNAIRE = "full"

# Demo data as a user would type it (Finnish, the users' language).
AGREEMENT_REASONS = {
    0: "Tiimi oli laskettua vaihetta yhtä mieltä.",
    1: "Keskustelussa todettiin, että askeleen toimet ovat jo käytössä, vaikka kaikki eivät "
    "tunnistaneet niitä.",
    -1: "Vastaukset olivat hajallaan; askel lasketaan saavutetuksi vasta, kun sen toimet ovat vakiintuneet.",
}
METRIC_SOURCES = ("Hankintapalveluiden seuranta", "Hilma-ilmoitukset", "Taloushallinnon raportti")


def _at(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _closing_time(year: int, now: datetime) -> datetime:
    """Demo assessments close in March; this year's no later than yesterday."""
    closing = datetime(year, 3, 20, 12, 0, tzinfo=UTC)
    return min(closing, now - timedelta(days=1))


def _save_answers(db: Database, respondent_id: int, cont: Content, answers: dict[str, int | None]) -> None:
    """Save one respondent's answers area by area, as the area pages would."""
    by_area: dict[str, dict[str, int | None]] = {}
    for item, value in answers.items():
        by_area.setdefault(cont.items[item].area, {})[item] = value
    for area, changes in by_area.items():
        assessments.save_area(
            db,
            respondent_id=respondent_id,
            area=area,
            changes=changes,
            base={},
            comment=None,
            base_comment=None,
        )


def _single(
    db: Database,
    org_id: int,
    year: int,
    cont: Content,
    questionnaire: str,
    levels: dict[str, float],
    rng: random.Random,
    created: datetime,
    closed: datetime,
) -> AssessmentRow:
    assessment = assessments.create_assessment(
        db,
        org_id=org_id,
        year=year,
        questionnaire=questionnaire,
        content_version=cont.version,
        kind="single",
        created_by=None,
    )
    respondent = assessments.shared_respondent(db, assessment["id"])
    q = cont.questionnaire(questionnaire)
    assert q is not None
    _save_answers(db, respondent["id"], cont, demo.answers(cont, q, levels, rng))
    assessments.finalise(db, assessment["id"])
    demo_store.date_assessment(db, assessment["id"], _at(created), _at(closed))
    return assessment


def _team_stages(
    cont: Content, questionnaire: str, responses: list[dict[str, int | None]]
) -> dict[str, int | None]:
    """The stage per area the team's answers give (what the round's results will show)."""
    q = cont.questionnaire(questionnaire)
    assert q is not None
    values = team.team_answers(team.aggregate(list(q.items), responses))
    return {
        area: scoring.score_area(area, steps, values, q.threshold).stage for area, steps in cont.area_items(q)
    }


def _round(
    db: Database,
    org_id: int,
    year: int,
    cont: Content,
    levels: dict[str, float],
    rng: random.Random,
    created: datetime,
    closed: datetime,
) -> AssessmentRow:
    assessment = rounds.open_round(
        db,
        org_id=org_id,
        year=year,
        questionnaire=QUESTIONNAIRE,
        content_version=cont.version,
        created_by=None,
        anonymous=False,
    )
    q = cont.questionnaire(QUESTIONNAIRE)
    assert q is not None
    responses = []
    for name in demo.ROUND_RESPONDENTS:
        respondent, _created = rounds.join(db, assessment["id"], joincodes.new_token(), name)
        answers = demo.answers(cont, q, demo.respondent_levels(levels, rng), rng)
        _save_answers(db, respondent["id"], cont, answers)
        responses.append(answers)
    stages = _team_stages(cont, QUESTIONNAIRE, responses)
    adjust = demo.agreed_adjustments([a.id for a in cont.areas])
    agreed = {}
    for area, stage in stages.items():
        if stage is None:
            continue
        change = adjust.get(area, 0)
        agreed_stage = max(0, min(5, stage + change))
        agreed[area] = (agreed_stage, AGREEMENT_REASONS[agreed_stage - stage])
    rounds.save_agreements(db, assessment["id"], agreed, {})
    rounds.close_round(db, assessment["id"])
    demo_store.date_assessment(db, assessment["id"], _at(created), _at(closed))
    return assessment


def _metrics(db: Database, org_id: int, cont: Content, first_year: int) -> None:
    for plan in demo.metric_plans(cont):
        if plan.chosen:
            metrics.set_kind(db, org_id, plan.metric, plan.kind)
        for n, value in enumerate(plan.values):
            metrics.set_value(
                db,
                org_id,
                first_year + n,
                plan.metric,
                plan.kind,
                value,
                source=METRIC_SOURCES[n % len(METRIC_SOURCES)],
            )


def _targets(db: Database, org_id: int, cont: Content, first_year: int) -> None:
    """Each year's target: the path's expected step, a step lower for the hardest area."""
    for n in range(demo.YEARS + 1):
        expected = min(5, n + 1)
        targets = {a.id: expected for a in cont.areas}
        targets["tieto-ja-data"] = max(0, expected - 1)
        metrics.set_targets(
            db, org_id, first_year + n, {k: v for k, v in targets.items() if cont.has_area(k)}
        )


def _plan(
    db: Database, org_id: int, cont: Content, first_year: int, made_in: list[int], closings: list[datetime]
) -> None:
    """Plan entries made each year, carried over and progressed, with backdated dates."""
    q = cont.questionnaire(QUESTIONNAIRE)
    assert q is not None
    for spec in demo.plan_specs(cont, q):
        created = closings[spec.year_index] + timedelta(days=7)
        # Work is done in the autumn after the assessment that suggested it.
        done = datetime(first_year + spec.year_index, 9, 1 + spec.quarter * 5, 10, tzinfo=UTC)
        changed = done if spec.status == "done" else created + timedelta(days=60)
        entry = plan_store.add_entry(
            db,
            org_id,
            text=cont.items[spec.item].text.fi,
            step=spec.step,
            goal=spec.goal,
            item=spec.item,
            responsible=spec.responsible,
            schedule_year=first_year + spec.year_index,
            schedule_quarter=spec.quarter,
            created_in=made_in[spec.year_index],
        )
        if spec.status != "planned":
            # Through in progress, as the work went; done or dropped in the end.
            for status in dict.fromkeys(("in_progress", spec.status)):
                entry = plan_store.set_status(db, org_id, entry["id"], entry["revision"], status)
        demo_store.date_plan_entry(
            db,
            entry["id"],
            _at(created),
            _at(min(changed, _now())),
            _at(done) if spec.status == "done" else None,
        )


def _now() -> datetime:
    return datetime.now(UTC)


def build_demo(db: Database, current: Content, this_year: int | None = None) -> OrganisationRow:
    """Create the demo organisation with its four years; returns the organisation row."""
    now = _now()
    this_year = this_year or clock.today().year
    first_year = this_year - demo.YEARS + 1
    earlier, _dropped = demo.earlier_edition(current, QUESTIONNAIRE)
    rng = random.Random(demo.SEED)
    with write(db):
        content_store.remember(db, earlier.version, json.dumps(to_document(earlier)))
        org = accounts.create_org(db, DEMO_NAME, is_demo=True, start_year=first_year)
        made_in: list[int] = []
        closings: list[datetime] = []
        for n in range(demo.YEARS):
            year = first_year + n
            cont = earlier if n < 2 else current
            levels = demo.year_levels(cont, n)
            closed = _closing_time(year, now)
            created = closed - timedelta(days=30)
            if n == 1:
                # An early quick check the lead made first; the full one counts for the year.
                quick_levels = {a: v - 0.2 for a, v in levels.items()}
                _single(
                    db,
                    org["id"],
                    year,
                    cont,
                    "quick",
                    quick_levels,
                    rng,
                    created - timedelta(days=30),
                    created - timedelta(days=20),
                )
            if n == demo.ROUND_YEAR_INDEX:
                counted = _round(db, org["id"], year, cont, levels, rng, created, closed)
            else:
                counted = _single(db, org["id"], year, cont, QUESTIONNAIRE, levels, rng, created, closed)
            assessments.set_counts(db, counted["id"])
            made_in.append(counted["id"])
            closings.append(closed)
        # The earlier edition was answered in the first year: its label says so.
        demo_store.date_content_version(
            db, earlier.version, _at(_closing_time(first_year, now) - timedelta(days=30))
        )
        _plan(db, org["id"], current, first_year, made_in, closings)
        _targets(db, org["id"], current, first_year)
        _metrics(db, org["id"], current, first_year)
    return written(accounts.get_org(db, org["id"]))


def build_peers(
    db: Database, current: Content, town: OrganisationRow, count: int, this_year: int | None = None
) -> list[OrganisationRow]:
    """Fictional peers for the benchmark (assess.demo_peers), with profiles, consent and a
    counted single assessment per demo year; the demo town gets its profile and an
    invitation to the demo comparison group, whose first peers are members."""
    now = _now()
    this_year = this_year or now.year
    first_year = this_year - demo.YEARS + 1
    rng = random.Random(demo_peers.SEED)
    base = demo.year_levels(current, 0)
    benchmark_store.save_profile(db, town["id"], *demo_peers.DEMO_PROFILE)
    group = benchmark_store.create_group(
        db, demo_peers.GROUP_NAME, demo_peers.GROUP_DESCRIPTION, None, is_demo=True
    )
    created = []
    for peer in demo_peers.peers(count):
        with write(db):
            org = accounts.create_org(db, peer.name, is_demo=True, start_year=first_year)
            benchmark_store.save_profile(db, org["id"], peer.org_type, peer.size_class, peer.region)
            benchmark_store.set_consent(db, org["id"], True, None)
            for n in range(peer.first_year_index, demo.YEARS):
                year = first_year + n
                closed = _closing_time(year, now) - timedelta(days=n + 1)
                counted = _single(
                    db,
                    org["id"],
                    year,
                    current,
                    peer.questionnaire,
                    demo_peers.levels(base, peer, n, rng),
                    rng,
                    closed - timedelta(days=21),
                    closed,
                )
                assessments.set_counts(db, counted["id"])
            if peer.in_group:
                benchmark_store.invite(db, group["id"], org["id"])
                benchmark_store.answer(db, group["id"], org["id"], "member", None, expected=("invited",))
        created.append(org)
    benchmark_store.invite(db, group["id"], town["id"])
    return created
