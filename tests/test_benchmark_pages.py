"""The benchmark's pages through the test client: profile and consent, the benchmark page,
comparison groups and invitations, the administration, and every refusal."""

from __future__ import annotations

import pytest

from assess.storage import accounts
from assess.storage import benchmark as store
from tests.conftest import ADMIN, LEAD, VIEWER, login, post_form, soup


@pytest.fixture
def peers(seeded, runner, db):
    """`assess demo --peers 12`: the demo town (lead and viewer granted) and 12 peers."""
    result = runner.invoke(args=["demo", "--peers", "12"])
    assert result.exit_code == 0, result.output
    town = accounts.get_org_by_slug(db, result.output.strip().splitlines()[-1])
    accounts.grant(db, seeded["lead"]["id"], town["id"], "lead")
    accounts.grant(db, seeded["viewer"]["id"], town["id"], "viewer")
    return town


def compared(response, group: int = 1) -> int | None:
    """The number of organisations in the first area's figure of the n-th peer group."""
    table = soup(response).find("table", id=f"group-{group}-table")
    if table is None:
        return None
    cell = table.find("tbody").find("tr").find("td")
    return int(cell.get_text(" ", strip=True).split()[0])


def latest(client, org_id: int):
    response = client.get(f"/orgs/{org_id}/benchmark")
    assert response.status_code == 200
    return response


# --- profile and consent ------------------------------------------------------------------


def test_consent_is_off_by_default_and_the_statement_says_what_is_shared(lead, seeded, db):
    org_id = seeded["org"]["id"]
    assert store.profile(db, org_id)["consent"] == 0
    page = lead.get(f"/orgs/{org_id}/settings").get_data(as_text=True)
    assert "Ei suostumusta" in page
    assert "Ei koskaan jaeta: organisaation nimeä, vastauksia" in page
    assert "vähintään 5 organisaation" in page


def test_a_lead_saves_the_profile(lead, seeded, db):
    org_id = seeded["org"]["id"]
    response = post_form(
        lead,
        f"/orgs/{org_id}/settings/profile",
        {"org_type": "kunta", "size_class": "asukkaita-20000-49999", "region": "uusimaa"},
        token_from=f"/orgs/{org_id}/settings",
    )
    assert response.status_code == 302
    assert store.profile(db, org_id)["size_class"] == "asukkaita-20000-49999"


def test_a_size_that_does_not_fit_the_type_is_refused_and_nothing_is_saved(lead, seeded, db):
    org_id = seeded["org"]["id"]
    response = post_form(
        lead,
        f"/orgs/{org_id}/settings/profile",
        {"org_type": "valtio", "size_class": "asukkaita-alle-5000", "region": ""},
        token_from=f"/orgs/{org_id}/settings",
    )
    assert response.status_code == 400
    assert "ei sovi tyyppiin" in response.get_data(as_text=True)
    assert store.profile(db, org_id)["org_type"] is None
    response = post_form(
        lead,
        f"/orgs/{org_id}/settings/profile",
        {"org_type": "kunta", "size_class": "", "region": "atlantis"},
        token_from=f"/orgs/{org_id}/settings",
    )
    assert response.status_code == 400 and store.profile(db, org_id)["org_type"] is None


def test_consent_given_and_withdrawn_moves_the_organisation_in_and_out(peers, client, db):
    login(client, LEAD)
    before = compared(latest(client, peers["id"]))
    post_form(
        client,
        f"/orgs/{peers['id']}/settings/consent",
        {"consent": "give"},
        token_from=f"/orgs/{peers['id']}/settings",
    )
    assert store.profile(db, peers["id"])["consent"] == 1
    assert compared(latest(client, peers["id"])) == before + 1
    post_form(
        client,
        f"/orgs/{peers['id']}/settings/consent",
        {"consent": "withdraw"},
        token_from=f"/orgs/{peers['id']}/settings",
    )
    assert store.profile(db, peers["id"])["consent"] == 0
    assert compared(latest(client, peers["id"])) == before


def test_a_viewer_sees_the_settings_but_changes_nothing(viewer, seeded, db):
    org_id = seeded["org"]["id"]
    page = viewer.get(f"/orgs/{org_id}/settings")
    assert page.status_code == 200 and soup(page).find("form", action=lambda a: a and "consent" in a) is None
    token = f"/orgs/{org_id}/settings"
    assert (
        post_form(
            viewer, f"/orgs/{org_id}/settings/consent", {"consent": "give"}, token_from=token
        ).status_code
        == 403
    )
    assert (
        post_form(
            viewer, f"/orgs/{org_id}/settings/profile", {"org_type": "kunta"}, token_from=token
        ).status_code
        == 403
    )
    assert store.profile(db, org_id)["consent"] == 0


def test_another_organisations_settings_and_benchmark_are_404(lead, seeded):
    other = seeded["other"]["id"]
    assert lead.get(f"/orgs/{other}/settings").status_code == 404
    assert lead.get(f"/orgs/{other}/benchmark").status_code == 404
    assert (
        post_form(
            lead,
            f"/orgs/{other}/settings/consent",
            {"consent": "give"},
            token_from=f"/orgs/{seeded['org']['id']}/settings",
        ).status_code
        == 404
    )


def test_consent_without_the_csrf_token_is_refused(lead, seeded, db):
    org_id = seeded["org"]["id"]
    response = lead.post(f"/orgs/{org_id}/settings/consent", data={"consent": "give"})
    assert response.status_code == 400
    assert store.profile(db, org_id)["consent"] == 0


def test_a_bad_consent_value_is_a_400(lead, seeded, db):
    org_id = seeded["org"]["id"]
    response = post_form(
        lead, f"/orgs/{org_id}/settings/consent", {"consent": "maybe"}, token_from=f"/orgs/{org_id}/settings"
    )
    assert response.status_code == 400 and store.profile(db, org_id)["consent"] == 0


# --- the benchmark page ------------------------------------------------------------------


def test_without_consenting_organisations_the_page_says_there_is_nothing(lead, seeded):
    page = lead.get(f"/orgs/{seeded['org']['id']}/benchmark")
    assert page.status_code == 200
    assert "Vertailtavia tuloksia ei vielä ole" in page.get_data(as_text=True)


def test_the_page_shows_figures_positions_and_hidden_groups_but_no_names(peers, client, db):
    login(client, VIEWER)  # viewers may look too
    page = latest(client, peers["id"])
    html = page.get_data(as_text=True)
    assert compared(page) == 12
    assert "Sama tyyppi: Kunta tai kaupunki" in html
    assert "Piilotettu" in html  # some groups are within 1-4 of others or too small
    for row in soup(page).find("table", id="group-1-table").find("tbody").find_all("tr"):
        assert "Vaihe:" in row.get_text() and "Indeksi:" in row.get_text()
    positions = (
        "ylimmässä neljänneksessä",
        "mediaanin yläpuolella",
        "mediaanin tuntumassa",
        "mediaanin alapuolella",
        "alimmassa neljänneksessä",
    )
    assert any(p in html for p in positions)
    for org in accounts.all_orgs(db):
        if org["is_demo"] and org["id"] != peers["id"]:
            assert org["name"] not in html
    assert 'role="img"' in html and "Samat luvut taulukkona" in html


def test_the_questionnaire_filter_and_years(peers, lead):
    page = lead.get(f"/orgs/{peers['id']}/benchmark?questionnaire=full")
    assert page.status_code == 200
    first = soup(page).find("select", id="year").find("option")
    earliest = soup(page).find("select", id="year").find_all("option")[-1]["value"]
    assert first.has_attr("selected")
    old = lead.get(f"/orgs/{peers['id']}/benchmark?year={earliest}")
    assert old.status_code == 200 and compared(old) < 12  # some peers joined later
    assert lead.get(f"/orgs/{peers['id']}/benchmark?year=1999").status_code == 400
    assert lead.get(f"/orgs/{peers['id']}/benchmark?questionnaire=nope").status_code == 400


def test_demo_organisations_are_never_compared_with_real_ones(peers, lead, seeded, db):
    store.set_consent(db, seeded["org"]["id"], True, None)  # a real one, with no results
    page = lead.get(f"/orgs/{seeded['org']['id']}/benchmark")
    assert "Vertailtavia tuloksia ei vielä ole" in page.get_data(as_text=True)


# --- comparison groups -----------------------------------------------------------------


def group_id(db, name: str) -> int:
    return next(g["id"] for g in store.all_groups(db) if g["name"] == name)


def test_admin_creates_a_group_invites_and_the_lead_accepts_then_leaves(seeded, client, db, peers):
    login(client, ADMIN)
    response = post_form(
        client,
        "/admin/benchmark/groups",
        {"name": "Keski-Uudenmaan rengas", "description": ""},
        token_from="/admin/benchmark/",
    )
    assert response.status_code == 302
    gid = group_id(db, "Keski-Uudenmaan rengas")
    token = "/admin/benchmark/"
    peer = next(o for o in accounts.all_orgs(db) if o["name"].startswith("Esimerkkikunta 1 "))
    for org in (peers, peer):
        assert (
            post_form(
                client,
                f"/admin/benchmark/groups/{gid}/invite",
                {f"g{gid}-org": str(org["id"])},
                token_from=token,
            ).status_code
            == 302
        )
    # The admin leads every organisation, so accepts for the peer.
    post_form(
        client, f"/orgs/{peer['id']}/groups/{gid}/accept", {}, token_from=f"/orgs/{peer['id']}/settings"
    )
    client.get("/logout")
    login(client, LEAD)
    settings = client.get(f"/orgs/{peers['id']}/settings").get_data(as_text=True)
    assert "Keski-Uudenmaan rengas" in settings and "Kutsuttu" in settings
    # Not a member yet: the group's page is not there.
    assert client.get(f"/orgs/{peers['id']}/benchmark/groups/{gid}").status_code == 404
    post_form(
        client, f"/orgs/{peers['id']}/groups/{gid}/accept", {}, token_from=f"/orgs/{peers['id']}/settings"
    )
    page = client.get(f"/orgs/{peers['id']}/benchmark/groups/{gid}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert peer["name"] in html and peers["name"] in html and "Ryhmän mediaani" in html
    post_form(
        client, f"/orgs/{peers['id']}/groups/{gid}/leave", {}, token_from=f"/orgs/{peers['id']}/settings"
    )
    assert client.get(f"/orgs/{peers['id']}/benchmark/groups/{gid}").status_code == 404
    client.get("/logout")
    login(client, ADMIN)
    other_view = client.get(f"/orgs/{peer['id']}/benchmark/groups/{gid}").get_data(as_text=True)
    assert peer["name"] in other_view and peers["name"] not in other_view


def test_group_refusals(peers, seeded, client, db):
    gid = group_id(db, "Esimerkkien hankintarengas (kuvitteellinen)")
    login(client, VIEWER)
    token = f"/orgs/{peers['id']}/settings"
    assert (
        post_form(client, f"/orgs/{peers['id']}/groups/{gid}/accept", {}, token_from=token).status_code == 403
    )
    assert client.get(f"/orgs/{peers['id']}/benchmark/groups/{gid}").status_code == 403
    assert store.membership(db, gid, peers["id"])["status"] == "invited"
    client.get("/logout")
    login(client, LEAD)
    assert client.post(f"/orgs/{peers['id']}/groups/{gid}/accept").status_code == 400  # CSRF
    assert (
        post_form(client, f"/orgs/{peers['id']}/groups/{gid}/join", {}, token_from=token).status_code == 404
    )
    assert (
        post_form(
            client, f"/orgs/{seeded['org']['id']}/groups/{gid}/accept", {}, token_from=token
        ).status_code
        == 404
    )  # not invited
    assert (
        post_form(
            client, f"/orgs/{seeded['other']['id']}/groups/{gid}/accept", {}, token_from=token
        ).status_code
        == 404
    )  # not its organisation
    assert store.membership(db, gid, peers["id"])["status"] == "invited"
    for path in ("/admin/benchmark/",):
        assert client.get(path).status_code == 403
    assert post_form(client, "/admin/benchmark/groups", {"name": "X"}, token_from=token).status_code == 403
    assert post_form(client, f"/admin/benchmark/groups/{gid}/delete", {}, token_from=token).status_code == 403
    assert store.group(db, gid) is not None


def test_admin_form_errors_and_unknown_targets(seeded, client, db):
    login(client, ADMIN)
    token = "/admin/benchmark/"
    assert post_form(client, "/admin/benchmark/groups", {"name": " "}, token_from=token).status_code == 400
    post_form(client, "/admin/benchmark/groups", {"name": "Rengas"}, token_from=token)
    again = post_form(client, "/admin/benchmark/groups", {"name": "rengas"}, token_from=token)
    assert again.status_code == 400 and "on jo olemassa" in again.get_data(as_text=True)
    gid = group_id(db, "Rengas")
    assert (
        post_form(
            client, f"/admin/benchmark/groups/{gid}/invite", {f"g{gid}-org": "99999"}, token_from=token
        ).status_code
        == 400
    )
    assert post_form(client, "/admin/benchmark/groups/99999/invite", {}, token_from=token).status_code == 404
    assert post_form(client, "/admin/benchmark/sources/99999/remove", {}, token_from=token).status_code == 404
    assert post_form(client, f"/admin/benchmark/groups/{gid}/delete", {}, token_from=token).status_code == 302
    assert store.group(db, gid) is None


# --- the yearly report and the XLSX export ---------------------------------------------


def test_the_report_and_the_workbook_carry_the_aggregates_only(peers, lead, db):
    import io

    from openpyxl import load_workbook

    years = store.years(db, demo=True)
    report = lead.get(f"/orgs/{peers['id']}/report/{years[-1]}")
    assert report.status_code == 200
    section = soup(report).find("section", id="benchmark")
    assert section.find("h2").get_text(strip=True) == "Vertailu muihin"
    assert section.find("table") is not None and "Kaikki organisaatiot" in section.get_text()
    book = load_workbook(io.BytesIO(lead.get(f"/orgs/{peers['id']}/export.xlsx").data))
    rows = list(book["Vertailu"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("Vuosi", "Vertailujoukko", "Osa-alue", "Vertailtavia organisaatioita")
    assert {r[0] for r in rows[1:]} == set(years)
    latest_all = [r for r in rows[1:] if r[0] == years[-1] and r[1] == "Kaikki organisaatiot"]
    assert len(latest_all) == 8 and all(r[3] == 12 for r in latest_all)
    hidden = [r for r in rows[1:] if r[3] is None]
    assert hidden and all(r[-1].startswith("Piilotettu") and r[6] is None for r in hidden)
    names = {o["name"] for o in accounts.all_orgs(db) if o["is_demo"] and o["id"] != peers["id"]}
    assert not any(str(cell) in names for r in rows for cell in r)


def test_a_profile_or_counted_change_shows_at_once(peers, lead, db):
    """Built figures are reused between page views only while nothing they are made of
    has changed."""
    store.save_profile(db, peers["id"], "kunta", "asukkaita-20000-49999", "uusimaa")
    before = latest(lead, peers["id"])
    assert compared(before, 2) == 7  # the same type: seven municipalities
    peer = next(o for o in accounts.all_orgs(db) if o["name"].startswith("Esimerkkikunta 1 "))
    store.save_profile(db, peer["id"], "muu", None, None)
    after = latest(lead, peers["id"])
    assert compared(after, 2) != 7


def test_demo_peers_are_marked_consent_and_go_with_the_demo(runner, db, seeded):
    result = runner.invoke(args=["demo", "--peers", "12"])
    assert result.exit_code == 0, result.output
    peers = [o for o in accounts.all_orgs(db) if "(kuvitteellinen)" in o["name"]]
    assert len(peers) == 12 and all(o["is_demo"] for o in peers)
    assert all(store.profile(db, o["id"])["consent"] == 1 for o in peers)
    assert all(store.profile(db, o["id"])["org_type"] for o in peers)
    counted = store.counted_assessments(db, demo=True)
    assert {a["questionnaire"] for a in counted} == {"quick", "full"}
    assert len({a["year"] for a in counted}) == 4
    assert runner.invoke(args=["demo", "--peers", "401"]).exit_code != 0
    removed = runner.invoke(args=["demo", "--remove"])
    assert removed.exit_code == 0
    assert [o["name"] for o in accounts.all_orgs(db)] == ["Hyvinkää", "Muu kunta"]
    assert store.all_groups(db) == []


def test_the_pages_in_english(peers, lead):
    post_form(lead, "/language", {"lang": "en", "next": "/"}, token_from="/")
    page = lead.get(f"/orgs/{peers['id']}/benchmark").get_data(as_text=True)
    assert "All organisations" in page and "Same type: Municipality or town" in page
    settings = lead.get(f"/orgs/{peers['id']}/settings").get_data(as_text=True)
    assert "Never shared: the organisation's name" in settings.replace("&#39;", "'")


def test_admin_removes_a_pooled_source_on_the_web(seeded, client, db):
    store.import_rows(
        db,
        {"installation": "c" * 32, "name": "Toinen asennus", "exported_at": "2026-01-01T00:00:00+00:00"},
        [
            {
                "pseudonym": "d" * 32,
                "type": "kunta",
                "size_class": None,
                "region": None,
                "year": 2025,
                "questionnaire": "quick",
                "content_version": "v1",
                "areas": {"strategia": {"stage": 1, "index": 1.5}},
            }
        ],
        "digest",
    )
    login(client, ADMIN)
    page = client.get("/admin/benchmark/").get_data(as_text=True)
    assert "Toinen asennus" in page
    source = store.sources(db)[0]
    response = post_form(
        client, f"/admin/benchmark/sources/{source['id']}/remove", {}, token_from="/admin/benchmark/"
    )
    assert response.status_code == 302 and store.sources(db) == []
    assert db.execute("SELECT COUNT(*) FROM pooled_rows").fetchone()[0] == 0
