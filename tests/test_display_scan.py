"""Every page a lead and an administrator can open on the demo organisation, in Finnish and
in English, reads as a person writes: no ISO dates, no UTC times, no internal item ids or
version digests, no English decimal points in Finnish and no "Q1" quarters in Finnish.

Only the visible text is read: scripts, styles and attributes (URLs, ids) are left out.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from assess.storage import plan
from tests.conftest import ADMIN, LEAD, login
from tests.test_route_access import ACCESS, ROUND_ENDPOINTS, ROUND_PREFIXES

ISO_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")
UTC_TIME = re.compile(r"\bUTC\b|\d\d:\d\d(?::\d\d)?(?:Z|\+00:00)")
HEX_DIGEST = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}\b")
QUARTER_Q = re.compile(r"\bQ[1-4]\b")
# Finnish dates (1.12.2026), times (klo 14.05) and ordinals (1. neljännes) are not decimals.
FI_DATE_OR_TIME = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b|\bklo \d{1,2}\.\d\d\b")
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")
# Names that carry a version number of their own (the programme's sources), not decimals.
NAMES = re.compile(r"\bPelikirja 2\.0")

# Who may open a page: the rules of tests/test_route_access.py.
SHOWN_TO = {
    "lead": {"member", "member/lead", "lead", "signed_in", "lead?"},
    "admin": {"member", "member/lead", "lead", "signed_in", "admin", "lead?", "admin/admin"},
}


def visible_text(html: str) -> str:
    page = BeautifulSoup(html, "lxml")
    for hidden in page(["script", "style", "template", "noscript"]):
        hidden.decompose()
    return page.get_text(" ", strip=True)


def problems(text: str, lang: str, item_ids: set[str], versions: set[str]) -> list[str]:
    found = [f"ISO date {m}" for m in ISO_DATE.findall(text)]
    found += [f"UTC time {m}" for m in UTC_TIME.findall(text)]
    found += [f"digest {m}" for m in HEX_DIGEST.findall(text)]
    found += [f"content version {v}" for v in versions if v in text]
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", text))
    found += [f"item id {i}" for i in sorted(words & item_ids)]
    if lang == "fi":
        found += [f"quarter {m}" for m in QUARTER_Q.findall(text)]
        plain = FI_DATE_OR_TIME.sub(" ", NAMES.sub(" ", text))
        found += [f"decimal point {m}" for m in DECIMAL_POINT.findall(plain)]
    return found


def _urls(app, db, org: dict) -> list[tuple[str, str]]:
    """(endpoint, url) of every GET page with the demo organisation's objects in it."""
    rows = db.execute(
        "SELECT id, kind, year, status FROM assessments WHERE org_id = ? ORDER BY year", (org["id"],)
    ).fetchall()
    singles = [r["id"] for r in rows if r["kind"] == "single"]
    rounds_ = [r["id"] for r in rows if r["kind"] == "round"]
    years = sorted({r["year"] for r in rows})
    entry = plan.entries(db, org["id"])[0]["id"]
    respondent = db.execute("SELECT id FROM respondents WHERE assessment_id = ?", (rounds_[0],)).fetchone()[0]
    known = {
        "org_id": [org["id"]],
        "entry_id": [entry],
        "area_id": ["strategia"],
        "year": [years[-1], years[0]],
        "table": ["plan"],
        "step_id": ["strategia-1"],
        "metric": ["p3-a3-m1"],
        "respondent_id": [respondent],
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.logout"):
            continue
        names = re.findall(r"<(?:[^:>]+:)?(\w+)>", rule.rule)
        is_round = rule.endpoint in ROUND_ENDPOINTS or rule.endpoint.startswith(ROUND_PREFIXES)
        values = dict(known, assessment_id=rounds_ if is_round else singles)
        if any(name not in values for name in names):
            continue  # a short-lived object (an upload, a job, a respondent's link)
        # Each of the first and the last (a content version apart in the demo).
        choices = {name: sorted({values[name][0], values[name][-1]}) for name in names}
        combos = [{}]
        for name, options in choices.items():
            combos = [dict(c, **{name: o}) for c in combos for o in options]
        urls += [(rule.endpoint, rule.build(c)[1]) for c in combos]
    return sorted(set(urls))


@pytest.mark.parametrize("who", ["lead", "admin"])
def test_pages_show_no_iso_dates_utc_times_ids_or_english_decimals(app, db, demo, who):
    from assess.state import content

    with app.app_context():
        current = content()
        item_ids = set(current.items)
    versions = {r[0] for r in db.execute("SELECT version FROM content_versions")}
    client = app.test_client()
    login(client, LEAD if who == "lead" else ADMIN)
    urls = [(e, u) for e, u in _urls(app, db, demo) if ACCESS.get(e) in SHOWN_TO[who]]
    assert len(urls) > 30, urls  # the walk reaches the organisation's pages
    found: list[str] = []
    pages = 0
    for lang in ("fi", "en"):
        with client.session_transaction() as session:
            session["lang"] = lang
        for endpoint, url in urls:
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            pages += 1
            text = visible_text(response.get_data(as_text=True))
            found += [f"{lang} {url} ({endpoint}): {p}" for p in problems(text, lang, item_ids, versions)]
    assert pages > 40
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("text", "lang", "problem"),
    [
        ("Viimeksi tallennettu 2026-12-01", "fi", "ISO date"),
        ("klo 12:05Z", "fi", "UTC time"),
        ("aikavyöhyke UTC", "en", "UTC time"),
        ("sisältöversio 3fa9c01be2d4", "fi", "digest"),
        ("Indeksi 2.50", "fi", "decimal point"),
        ("Aikataulu Q2 2027", "fi", "quarter"),
        ("Statement strategia-1-a", "en", "item id"),
    ],
)
def test_the_scan_catches_each_kind_of_problem(text, lang, problem):
    assert any(p.startswith(problem) for p in problems(text, lang, {"strategia-1-a"}, set()))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tallennettu 1.12.2026 klo 14.05, indeksi 2,50 – 1. neljännes 2027, vuosi 2026", "fi"),
        ("Saved 1 Dec 2026, 14:05; index 2.50 in Q1 2027", "en"),
        ("sisältö 2026-11", "fi"),
    ],
)
def test_the_scan_passes_what_a_reader_expects(text, lang):
    assert problems(text, lang, {"strategia-1-a"}, {"3fa9c01be2d4"}) == []


def test_projector_and_agreement_write_team_values_and_indices_the_finnish_way(app, db, demo):
    """A team median of 2 and 3 is "2,5" on the projector; indices and spreads have a
    decimal comma on the summary slide and on the agreement page."""
    from assess import workshop
    from assess.storage import rounds, workshops

    cont = app.extensions["content"]
    slides = workshop.build_slides(cont, cont.questionnaire("quick"))
    row = rounds.open_round(
        db,
        org_id=demo["id"],
        year=2020,
        questionnaire="quick",
        content_version=cont.version,
        created_by=None,
        anonymous=False,
    )
    first_area = [s for s in slides if s.area == slides[0].area]
    for n, value in enumerate((2, 3)):
        person, _ = rounds.join(db, row["id"], f"scan{n}" + "x" * 27, f"Vastaaja {n}")
        for slide in first_area:
            for item in slide.items:
                workshops.save_answer(db, person["id"], slide.area, item, value)
    workshops.start(db, row["id"])
    workshops.set_flag(db, row["id"], "revealed", True)
    client = app.test_client()
    login(client, LEAD)
    item_ids = set(cont.items)
    projector = f"/assessments/{row['id']}/workshop"

    revealed = visible_text(client.get(projector).get_data(as_text=True))
    assert "2,5" in revealed and "2.5" not in revealed
    assert problems(revealed, "fi", item_ids, {cont.version}) == []

    workshops.move(db, row["id"], len(slides), len(slides))
    summary = visible_text(client.get(projector).get_data(as_text=True))
    # The summary names stages (with their step titles), no index; numbers as above.
    assert "Laskettu ja sovittu vaihe osa-alueittain" in summary, summary
    assert problems(summary, "fi", item_ids, {cont.version}) == []

    agreement = visible_text(client.get(f"/assessments/{row['id']}/agreement").get_data(as_text=True))
    assert re.search(r"\d,\d\d", agreement)
    assert problems(agreement, "fi", item_ids, {cont.version}) == []
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = visible_text(client.get(f"/assessments/{row['id']}/agreement").get_data(as_text=True))
    assert re.search(r"\d\.\d\d", english) and problems(english, "en", item_ids, set()) == []
