"""Assessments answered on an earlier content version, on every page and export that shows an
assessment.

The earlier version differs from the current one in every item's Finnish text and statement,
and it has an item the current one lacks (strategia-1-g2, in the quick questionnaire). A single
assessment (counted for 2024) and a closed team round with agreements and a workshop (counted
for 2025) were answered on it. Every GET route of the URL map that the lead can open with these
objects' ids is requested: each must answer 200; a page that shows the assessments' items shows
the earlier texts, the removed item with them, and never the current texts of those items.
"""

from __future__ import annotations

import copy
import io
import json
import re

import pytest

from assess.content import ContentError, from_document, to_document
from assess.export.tables import TABLES
from assess.storage import assessments, content_store, rounds, workshops
from assess.storage.db import open_db
from tests.conftest import LEAD, login, make_app, seed_accounts
from tests.test_route_access import ACCESS, ROUND_ENDPOINTS, ROUND_PREFIXES

REMOVED = "strategia-1-g2"
OLD_TEXT = "Aiemman sisällön väittämä {}."
OLD_SOURCE = "Aiemman sisällön kohta {}"
REMOVED_TEXT = "Poistunut väittämä strategia-1-g2."


def _old_document(current) -> dict:
    doc = copy.deepcopy(to_document(current))
    for area in doc["roadmap"]["areas"]:
        for step in area["steps"]:
            for entry in (*step["goals"], *step["actions"]):
                entry["statement"]["fi"] = OLD_TEXT.format(entry["id"])
                entry["text"]["fi"] = OLD_SOURCE.format(entry["id"])
    step = doc["roadmap"]["areas"][0]["steps"][0]
    assert step["id"] == "strategia-1" and len(step["goals"]) == 1
    removed = copy.deepcopy(step["goals"][0])
    removed.update(
        id=REMOVED,
        text={"fi": "Poistunut kohta strategia-1-g2", "en": "Removed item"},
        statement={"fi": REMOVED_TEXT, "en": "A removed statement."},
    )
    step["goals"].append(removed)
    quick = next(q for q in doc["questionnaires"] if q["id"] == "quick")
    quick["items"].insert(quick["items"].index("strategia-1-g1") + 1, REMOVED)
    try:
        from_document(doc)
    except ContentError as exc:  # the version is the digest of the texts: take the new one
        doc["version"] = re.search(r"digest (\w+)", str(exc.problems[0])).group(1)
    return doc


class World:
    def __init__(self, tmp) -> None:
        self.app = make_app(tmp)
        current = self.app.extensions["content"]
        self.current = current
        doc = _old_document(current)
        self.old = from_document(doc)
        db = open_db(self.app.config["DATABASE"])
        try:
            people = seed_accounts(db)
            self.org = people["org"]["id"]
            content_store.remember(db, self.old.version, json.dumps(doc))
            items = list(self.old.questionnaire("quick").items)
            single = assessments.create_assessment(
                db,
                org_id=self.org,
                year=2024,
                questionnaire="quick",
                content_version=self.old.version,
                kind="single",
                created_by=None,
            )
            shared = assessments.shared_respondent(db, single["id"])
            assessments.save_area(
                db,
                respondent_id=shared["id"],
                area="all",
                changes={i: (4, 3, None, 2)[n % 4] for n, i in enumerate(items)},
                base={},
                comment=None,
                base_comment=None,
            )
            assessments.finalise(db, single["id"])
            assessments.set_counts(db, single["id"])
            the_round = rounds.open_round(
                db,
                org_id=self.org,
                year=2025,
                questionnaire="quick",
                content_version=self.old.version,
                created_by=None,
                anonymous=False,
            )
            self.token = "vanha".ljust(32, "x")
            for n in range(3):
                who, _ = rounds.join(
                    db, the_round["id"], self.token if n == 0 else f"vanha{n}".ljust(32, "x"), f"Vastaaja {n}"
                )
                assessments.save_area(
                    db,
                    respondent_id=who["id"],
                    area="all",
                    changes={i: (n + k) % 5 for k, i in enumerate(items)},
                    base={},
                    comment=None,
                    base_comment=None,
                )
            rounds.save_agreements(db, the_round["id"], {"strategia": (2, "Sovittu")}, {})
            workshops.start(db, the_round["id"])
            rounds.close_round(db, the_round["id"])
            assessments.set_counts(db, the_round["id"])
            self.single, self.round, self.code = single["id"], the_round["id"], the_round["join_code"]
        finally:
            db.conn.close()
        self.client = self.app.test_client()
        login(self.client, LEAD)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return World(tmp_path_factory.mktemp("old"))


def _text(response) -> str:
    if response.mimetype.endswith("spreadsheetml.sheet"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.data))
        return "\n".join(
            str(c.value) for s in book for row in s.iter_rows() for c in row if c.value is not None
        )
    return response.get_data().decode("utf-8-sig", "replace")


def _urls(world: World):
    """(endpoint, url, which assessment) for every GET route the lead can open here."""
    for rule in world.app.url_map.iter_rules():
        if (
            "GET" not in rule.methods
            or rule.endpoint in ("static", "auth.logout")
            or ACCESS[rule.endpoint].startswith("admin")
        ):
            continue
        names = set(re.findall(r"<(?:[^:>]+:)?(\w+)>", rule.rule))
        known = {
            "org_id": world.org,
            "area_id": "strategia",
            "step_id": "strategia-1",
            "code": world.code,
            "token": world.token,
        }
        if names - known.keys() - {"assessment_id", "year", "table"}:
            continue  # names an object this test does not make (an entry, a user, a group...)
        choices = [{}]
        if "assessment_id" in names:
            is_round = rule.endpoint in ROUND_ENDPOINTS or rule.endpoint.startswith(ROUND_PREFIXES)
            choices = (
                [{"assessment_id": world.round, "_which": "round"}]
                if is_round
                else [{"assessment_id": world.single, "_which": "single"}]
            )
            if not is_round and not rule.endpoint.startswith("assessments."):
                choices.append({"assessment_id": world.round, "_which": "round"})
        if "year" in names:
            choices = [dict(c, year=y, _which=c.get("_which", str(y))) for c in choices for y in (2024, 2025)]
        if "table" in names:
            choices = [dict(c, table=t) for c in choices for t in TABLES]
        for choice in choices:
            values = {k: v for k, v in choice.items() if not k.startswith("_")}
            values.update({k: v for k, v in known.items() if k in names})
            yield rule.endpoint, rule.build(values)[1], choice.get("_which")


def test_every_page_and_export_of_an_old_assessment(world):
    problems, shown = [], []
    current_texts = [world.current.items[i].claim("fi") for i in ("strategia-1-g1", "strategia-2-g1")]
    for endpoint, url, which in _urls(world):
        response = world.client.get(url)
        if response.status_code in (301, 302, 303, 404) and which is None:
            continue  # an organisation-wide page not about these assessments
        if response.status_code in (302, 303) and "/login" not in response.headers["Location"]:
            continue  # e.g. a finished assessment's finalise page sends to its results
        if response.status_code != 200:
            problems.append(f"{url} ({endpoint}): {response.status_code}")
            continue
        body = _text(response)
        shows_old = OLD_TEXT.format("strategia-1-g1") in body or OLD_SOURCE.format("strategia-1-g1") in body
        if not shows_old:
            continue
        shown.append(endpoint)
        if REMOVED_TEXT not in body and "Poistunut kohta strategia-1-g2" not in body:
            problems.append(f"{url} ({endpoint}): the earlier texts without the removed item")
        if any(text in body for text in current_texts):
            problems.append(f"{url} ({endpoint}): the current text of an item beside earlier ones")
    assert not problems, "\n".join(problems)
    # The pages that must show the items did, so the checks above ran on them.
    for endpoint in ("assessments.area", "results.show", "exports.table_csv", "exports.workbook"):
        assert endpoint in shown, f"{endpoint} did not show the earlier texts"
