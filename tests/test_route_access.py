"""Authorization by construction: every route of the URL map, for every kind of actor, with the
ids of the actor's own organisation and of another one.

ACCESS names each endpoint's rule; a route added without an entry fails the test, so nobody
can add a page and forget who may see it. A refused request must answer as the rule says
(sign-in page, 403 or 404) and change nothing in the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from assess.storage import assessments, plan, rounds, workshops
from tests.conftest import ADMIN, LEAD, VIEWER, login, seed_accounts

# The access rule of every endpoint:
# - public: anyone, signed in or not;
# - signed_in: any signed-in user (no organisation in the URL);
# - member: a member (lead or viewer) of the organisation, or an administrator;
# - lead: a lead of the organisation, or an administrator; a viewer gets 403;
# - admin: administrators only; others get 403;
# - respondent: whoever holds the round's join code and the respondent's personal token;
# - join_code: whoever holds an open round's join code;
# - setup_done: the one-time setup, which once done sends everyone to the sign-in page;
# - "read/write" pairs: GET by the first rule, POST by the second;
# - a rule ending in "?": the URL names a short-lived object (an upload, a job) that the test
#   cannot have, so those who may use the route get 404 and the rest are refused as usual.
ACCESS: dict[str, str] = {
    "static": "public",
    "vendor.plotly_js": "public",
    "vendor.plotly_css": "public",
    "home.index": "signed_in",
    "auth.setup": "setup_done",
    "auth.login": "public",
    "auth.logout": "signed_in",
    "auth.language": "public",
    "browse.roadmap": "signed_in",
    "browse.step": "signed_in",
    "browse.programme": "signed_in",
    "api.content_document": "public",
    "respond.join": "public",
    "respond.join_round": "join_code",
    "respond.home": "respondent",
    "respond.area": "respondent",
    # Only after the round closes and if the lead turned it on: the test's round is open.
    "respond.compare": "respondent?",
    "live.page": "respondent",
    "live.answer": "respondent",
    "live.state": "respondent",
    "admin.index": "admin",
    "admin.new_org": "admin",
    "admin.org": "admin",
    "admin.org_year": "admin",
    "admin.add_member": "admin",
    "admin.remove_member": "admin",
    "admin.new_user": "admin",
    "admin.user": "admin",
    "admin.add_user_org": "admin",
    "admin.reset_password": "admin",
    "transfer.export": "admin",
    "transfer.import_org": "admin",
    "orgs.dashboard": "member",
    "orgs.assessment_list": "member",
    "orgs.new_assessment": "lead",
    "orgs.set_counts": "lead",
    "assessments.overview": "member",
    "assessments.area": "member/lead",
    "assessments.finalise": "lead",
    "assessments.reopen": "lead",
    "results.show": "member",
    "rounds.index": "member",
    "rounds.new": "lead",
    "rounds.show": "member",
    "rounds.qr": "member",
    "rounds.close": "lead",
    "rounds.agreement": "lead",
    "rounds.options": "lead",
    "workshop.opening": "lead",
    "workshop.projector": "lead",
    "workshop.state": "lead",
    "workshop.start": "lead",
    "workshop.move": "lead",
    "workshop.reveal": "lead",
    "workshop.code": "lead",
    "workshop.agree": "lead",
    "history.show": "member",
    "history.set_counts": "lead",
    "metrics.values_index": "member",
    "metrics.values": "member/lead",
    "metrics.targets_index": "member",
    "metrics.targets": "member/lead",
    "metrics.followup": "member",
    "plan.show": "member",
    "plan.add": "lead",
    "plan.edit": "lead",
    "plan.status": "lead",
    "exports.index": "member",
    "exports.workbook": "member",
    "exports.table_csv": "member",
    "exports.report_page": "member",
    "benchmark_admin.index": "admin",
    "benchmark_admin.create_group": "admin",
    "benchmark_admin.delete_group": "admin?",  # no group exists
    "benchmark_admin.invite": "admin?",
    "benchmark_admin.remove_member": "admin?",
    "benchmark_admin.remove_source": "admin?",  # no pooled source exists
    "benchmark.page": "member",
    "benchmark.group": "lead?",  # no comparison group exists; leads of members only
    "org_settings.answer": "lead?",  # no invitation exists
    "org_settings.show": "member",
    "org_settings.consent": "lead",
    "org_settings.save_profile": "lead",
    "account.index": "signed_in",
    "account.password": "signed_in",
    "account.end": "signed_in",  # a session that is not the actor's own: nothing ends
    "admin.security_log_page": "admin",
    "admin.disable": "admin",
    "admin.enable": "admin",
    "rounds.remove_unanswered": "lead",
    "browse.glossary": "public",
    "pages.accessibility": "public",
    "pages.privacy": "public",
    "my_data.show": "respondent",
    "admin_retire.archive_org": "admin",
    "admin_retire.delete_org": "admin",
    "admin_retire.restore_org": "admin",
    "admin_retire.delete_user": "admin",
    "retire.archive": "member",
    "retire.archive_assessment": "lead",
    "retire.delete_assessment": "lead",
    "retire.export_assessment": "lead",
    "retire.erase_respondent": "lead",
    "retire.restore_assessment": "lead",
    "retire.delete_plan_entry": "lead",
    "owndata.index": "member",
    "owndata.notice_list": "member",
    "owndata.accept": "lead?",  # no computed proposal exists for the metric
    "owndata.upload_invoices": "lead",
    "owndata.delete_invoices": "lead",
    "owndata.check_invoices": "lead?",
    "owndata.job": "lead?",
    "owndata.job_status": "lead?",
    "owndata.upload_notices": "lead",
    "owndata.delete_notices": "lead",
    "owndata.fetch_notices": "lead?",  # off without HILMA_API_KEY
    "owndata.save_settings": "lead",
}

# Routes whose <assessment_id> is a team round; the others take a single assessment.
ROUND_ENDPOINTS = {
    "rounds.show",
    "rounds.qr",
    "rounds.close",
    "rounds.agreement",
    "rounds.options",
    "retire.erase_respondent",
    "rounds.remove_unanswered",
}
ROUND_PREFIXES = ("workshop.",)

YEAR = 2024  # the counted year of both organisations
ACTORS = ("signed_out", "respondent", "viewer", "other_lead", "lead", "admin")


@dataclass
class Org:
    """One organisation's objects, whose ids fill the URLs."""

    id: int
    single: int
    round: int
    code: str
    token: str
    entry: int
    member: int
    respondent: int


def _org_world(app, db, org_id: int, member_id: int, tag: str) -> Org:
    version = app.extensions["content"].version
    single = assessments.create_assessment(
        db,
        org_id=org_id,
        year=2025,
        questionnaire="quick",
        content_version=version,
        kind="single",
        created_by=None,
    )
    round_ = rounds.open_round(
        db,
        org_id=org_id,
        year=2025,
        questionnaire="quick",
        content_version=version,
        created_by=None,
        anonymous=False,
    )
    token = (f"token{tag}" + "x" * 32)[:32]  # a personal token is 32 URL-safe characters
    respondent, _ = rounds.join(db, round_["id"], token, f"Vastaaja {tag}")
    workshops.start(db, round_["id"])
    entry = plan.add_entry(db, org_id, text=f"Toimenpide {tag}", step="strategia-1", goal=None)
    # A counted year, so that the yearly report exists.
    counted = assessments.create_assessment(
        db,
        org_id=org_id,
        year=YEAR,
        questionnaire="quick",
        content_version=version,
        kind="single",
        created_by=None,
    )
    # Answered: only an assessment with answers can count.
    db["answers"].insert(
        {
            "respondent_id": assessments.shared_respondent(db, counted["id"])["id"],
            "item": "strategia-1-g1",
            "value": 2,
            "updated_at": "2024-01-01T00:00:00+00:00",
        }
    )
    assessments.finalise(db, counted["id"])
    assessments.set_counts(db, counted["id"])
    return Org(
        org_id,
        single["id"],
        round_["id"],
        round_["join_code"],
        token,
        entry["id"],
        member_id,
        respondent["id"],
    )


@pytest.fixture
def world(app, db):
    return make_world(app, db)


def make_world(app, db) -> dict:
    """Both organisations' objects, the usual accounts and a lead of the other organisation."""
    people = seed_accounts(db)
    from assess.storage import accounts

    other_lead = accounts.create_user(db, "olli", "salasana-olli-1")
    accounts.grant(db, other_lead["id"], people["other"]["id"], "lead")
    # The first request of a day runs the retention rule (a write): let it happen before the
    # walk, so that a refused request's "nothing changed" is about that request alone.
    app.test_client().get("/login")
    own = _org_world(app, db, people["org"]["id"], people["lead"]["id"], "a")
    other = _org_world(app, db, people["other"]["id"], other_lead["id"], "b")
    return {
        "own": own,
        "other": other,
        "people": people,
        "other_lead": {"username": "olli", "password": "salasana-olli-1"},
    }


def _values(rule, org: Org, *, token_org: Org | None = None) -> dict:
    """URL values for a rule, from one organisation's objects (the token maybe from another)."""
    is_round = rule.endpoint in ROUND_ENDPOINTS or rule.endpoint.startswith(ROUND_PREFIXES)
    known = {
        "org_id": org.id,
        "assessment_id": org.round if is_round else org.single,
        "entry_id": org.entry,
        "user_id": org.member,
        "area_id": "strategia",
        "year": YEAR,
        "table": "plan",
        "step_id": "strategia-1",
        "filename": "css/app.css",
        "code": org.code,
        "token": (token_org or org).token,
        "metric": "p3-a3-m1",
        "group_id": 1,
        "source_id": 1,
        "action": "accept",
        "respondent_id": org.respondent,
        "session_id": 999_999,
    }
    names = re.findall(r"<(?:[^:>]+:)?(\w+)>", rule.rule)
    return {name: known[name] for name in names}


# What a refused request may write: the security log records the refusal, the session
# its last use, and the result cache a result computed on the way (kept only for speed).
BOOKKEEPING = ("security_log", "sessions", "result_cache")


def _dump(db) -> list:
    """The schema and every row of every table but the bookkeeping ones, to compare before and
    after a request (what iterdump would say, at a tenth of its cost)."""
    schema = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    tables = [name for kind, name, _sql in schema if kind == "table" and name not in BOOKKEEPING]
    return [schema] + [(name, db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in tables]


def _signed_in_as(client, actor: str, world) -> None:
    who = {"viewer": VIEWER, "lead": LEAD, "admin": ADMIN, "other_lead": world["other_lead"]}.get(actor)
    if who is not None:
        login(client, who)
    elif actor == "respondent":
        # A respondent of another organisation's round: holds its code and personal link.
        other = world["other"]
        client.get(f"/r/{other.code}/{other.token}")


def _token(client) -> str:
    html = client.get("/login").get_data(as_text=True)
    if "csrf_token" not in html:  # signed in: /login redirects, any page with a form will do
        html = client.get("/roadmap").get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else ""


def _expected(access: str, actor: str, scope: str) -> str:
    """'allowed', 'login', 'forbidden' or 'missing' for an actor on the own or other org's ids."""
    if access.endswith("?"):
        expected = _expected(access[:-1], actor, scope)
        return "missing" if expected == "allowed" else expected
    signed_in = actor in ("viewer", "other_lead", "lead", "admin")
    if access in ("public", "join_code"):
        return "allowed"
    if access == "setup_done":
        return "login"
    if access == "respondent":
        return "allowed" if scope == "own" else "missing"
    if not signed_in:
        return "login"
    if access == "signed_in":
        return "allowed"
    if access == "admin":
        return "allowed" if actor == "admin" else "forbidden"
    # member / lead: the own organisation is the seeded org (viewer, lead); other_lead leads the
    # other one, so for them the seeded org is foreign and vice versa.
    if actor == "admin":
        return "allowed"
    member_of = "other" if actor == "other_lead" else "own"
    if scope != member_of:
        return "missing"
    if access == "lead" and actor == "viewer":
        return "forbidden"
    return "allowed"


def _outcome(response) -> str:
    status = response.status_code
    if status in (302, 303) and "/login" in response.headers.get("Location", ""):
        return "login"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "missing"
    assert status < 500, f"server error {status}"
    return "allowed"


# Routes that remove or hide what later routes' URLs name: walked last, so that an actor who
# may use them does not turn the other routes' answers into 404s.
REMOVING = (
    "rounds.close",
    "admin.disable",
    "retire.delete_plan_entry",
    "retire.erase_respondent",
    "rounds.remove_unanswered",
    "retire.archive_assessment",
    "retire.delete_assessment",
    "admin_retire.delete_user",
    "admin_retire.archive_org",
    "admin_retire.delete_org",
)


def _requests(app, world):
    """(endpoint, method, scope, url) for every route and method, with both orgs' ids."""

    def order(rule):
        removing = rule.endpoint in REMOVING
        return (removing, REMOVING.index(rule.endpoint) if removing else 0, rule.rule)

    for rule in sorted(app.url_map.iter_rules(), key=order):
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for method in methods:
            if ACCESS.get(rule.endpoint) == "respondent":
                own, other = world["own"], world["other"]
                yield rule, method, "own", rule.build(_values(rule, own))[1]
                # Another round's respondent: the code of one round with the token of another.
                yield rule, method, "other", rule.build(_values(rule, own, token_org=other))[1]
                continue
            for scope in ("own", "other"):
                yield rule, method, scope, rule.build(_values(rule, world[scope]))[1]


def test_every_route_has_an_access_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - ACCESS.keys())
    assert not missing, f"routes without an entry in ACCESS (say who may use them): {missing}"
    stale = sorted(ACCESS.keys() - endpoints)
    assert not stale, f"ACCESS names endpoints that no longer exist: {stale}"


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_answers_each_actor_as_its_rule_says(app, db, world, actor):
    wrong = []
    client = app.test_client()
    _signed_in_as(client, actor, world)
    for rule, method, scope, url in _requests(app, world):
        access = ACCESS[rule.endpoint]
        if "/" in access:
            read, write = access.split("/")
            access = read if method == "GET" else write
        if rule.endpoint == "auth.logout":
            continue  # signing out ends the client's session; tested in test_auth
        expected = _expected(access, actor, scope)
        before = _dump(db) if expected != "allowed" else None
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": _token(client)})
        outcome = _outcome(response)
        if outcome != expected:
            wrong.append(f"{method} {url} ({rule.endpoint}, {scope}): {outcome}, expected {expected}")
        elif before is not None and _dump(db) != before:
            wrong.append(f"{method} {url} ({rule.endpoint}, {scope}): refused but changed the database")
    assert not wrong, f"{actor}:\n" + "\n".join(wrong)


def test_a_refused_organisation_is_recorded_in_the_security_log(client, db, seeded):
    # A signed-in user asking for another organisation's page is a refusal the administrator
    # must be able to trace: who, which organisation, which page (cut to 200 characters).
    login(client, LEAD)
    other = seeded["other"]["id"]
    page = f"/orgs/{other}/history"
    long_page = f"/orgs/{other}/export/{'x' * 300}.csv"
    assert client.get(page).status_code == 404
    assert client.get(long_page).status_code == 404
    logged = [
        tuple(r)
        for r in db.execute(
            "SELECT event, outcome, username, detail FROM security_log WHERE event = 'access' ORDER BY id"
        )
    ]
    assert logged == [
        ("access", "refused", LEAD["username"], f"organisation {other}: {page}"),
        ("access", "refused", LEAD["username"], f"organisation {other}: {long_page}"[:200]),
    ]
    # The users' own pages are not refusals.
    assert client.get(f"/orgs/{seeded['org']['id']}/history").status_code == 200
    assert db.execute("SELECT COUNT(*) FROM security_log WHERE event = 'access'").fetchone()[0] == 2


@pytest.mark.parametrize(("who", "offered"), [(LEAD, True), (ADMIN, True), (VIEWER, False)])
def test_the_organisation_page_offers_lead_actions_only_to_whom_may_use_them(app, db, who, offered):
    # The page's links follow the role require_org found: a viewer must not be shown a start
    # button that would only answer 403, a lead (or an administrator) must be.
    people = seed_accounts(db)
    client = app.test_client()
    login(client, who)
    org_id = people["org"]["id"]
    # The overview, and the landing pages of the assessments and the plan sections.
    html = "".join(
        client.get(page).get_data(as_text=True)
        for page in (f"/orgs/{org_id}", f"/orgs/{org_id}/assessments", f"/orgs/{org_id}/plan")
    )
    assert (f'href="/orgs/{org_id}/assessments/new"' in html) is offered
    # The targets are read by everyone (a viewer reads them, as in the history).
    assert f'href="/orgs/{org_id}/targets"' in html
