"""A self-assessment from start to end in a real browser, as a new lead does it, with axe on every page.

Sign in -> organisation dashboard -> start a quick assessment for this year -> answer every
area page (mouse and keyboard) while the progress rises -> mark it final -> results: the
stage statements, both charts and their tables, the next actions -> one suggestion into
the plan -> responsible party, schedule and status -> the plan's programme table and
timeline. Last, `assess score` on the answers the browser stored gives what the page showed.

The expected results are computed with assess.results.compute over the same answers, so the
test follows the scoring rule and the content rather than copies of their numbers.
"""

from __future__ import annotations

import json
import re

import pytest
from flask_babel import force_locale, pgettext
from playwright.sync_api import expect

from assess import clock
from assess.formatting import format_schedule
from assess.plan_text import suggested_action
from assess.results import compute
from assess.state import get_db
from assess.storage import assessments

QUESTIONNAIRE = "quick"
DK = None  # "don't know"
SKIP = "skip"  # left unanswered

# Per area, one value per quick item in questionnaire order (step 1 first). Chosen for a mix
# the results page must tell apart; the test checks the mix itself through compute().
PLAN = {
    "strategia": (4, 4, 3, 3, 1, DK),  # stage 3; step 3 exactly at the 75 % threshold
    "johtaminen": (3, 4, DK, 4, SKIP),  # stage 2; step 3 only "don't know": find out
    "organisaatio": (1, 2, 2, 0, SKIP, SKIP),  # stage 0: step 1 not reached
    "osaaminen": (4, 4, 2, 3, 0),  # stage 2, a step ahead reached
    "asenne": (4, DK, SKIP, SKIP, SKIP),  # 1 of 5 with a value: not enough answers
    "tieto-ja-data": (4, 3, 4, 3, 3),  # stage 5: keep it up
    "tyokalut": (3, 3, 3, 2, DK),  # stage 3
    "tekeminen": (4, 2, 0, 1, 4, 4, SKIP),  # stage 1; step 2 weakest is not the first item
}
IMPROVE_AREA = "tekeminen"  # its next actions are checked and one goes into the plan
FULL_INDEX = 5


def _answers(content) -> dict[str, int | None]:
    """PLAN as {item: value}, checked against the questionnaire so a content change shows."""
    area_items = content.area_items(content.questionnaire(QUESTIONNAIRE))
    assert [area for area, _steps in area_items] == list(PLAN), "the quick areas changed"
    answers: dict[str, int | None] = {}
    for area, steps in area_items:
        items = [item for _step, ids in steps for item in ids]
        assert len(items) == len(PLAN[area]), f"the quick items of {area} changed"
        answers.update({item: v for item, v in zip(items, PLAN[area], strict=True) if v != SKIP})
    return answers


def _decimal(text: str) -> float:
    """A number as the Finnish page writes it ("3,25") -> 3.25."""
    return float(text.strip().replace("\u00a0", "").replace(",", "."))


def _plan_status(live_app, status: str) -> str:
    """A plan status as the page shows it (a msgid with a context, which ui_text does not take)."""
    with live_app.test_request_context(), force_locale("fi"):
        return pgettext("plan status", status)


def _answer_area(page, content, area: str, answers: dict, scale: dict, ui_text, *, keyboard: bool) -> None:
    """Answer one area page: with the mouse, or keyboard only (Space, then arrows in the group)."""
    order = list(scale)  # 0, 1, 2, 3, 4, None: the order of the radio buttons
    for step_id, ids in dict(content.area_items(content.questionnaire(QUESTIONNAIRE)))[area]:
        step = content.steps[step_id]
        # Found by the step's heading first: the roadmap repeats some statements word for word
        # in consecutive years (Työkalut 3 and 4).
        section = page.get_by_role(
            "region",
            name=ui_text("fi", "Year %(year)d: %(title)s", year=step.year, title=step.title.get("fi")),
            exact=True,
        )
        for item in ids:
            if item not in answers:
                continue
            group = section.get_by_role("group", name=content.items[item].claim("fi"), exact=True)
            wanted = group.get_by_role("radio", name=scale[answers[item]], exact=True)
            if keyboard:
                group.get_by_role("radio").first.focus()
                page.keyboard.press("Space")
                for _ in range(order.index(answers[item])):
                    page.keyboard.press("ArrowRight")  # moving in a radio group checks
            else:
                wanted.check()
            expect(wanted).to_be_checked()


@pytest.mark.long
def test_new_lead_goes_from_login_to_results_and_plan(
    new_page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text, tmp_path
):
    content = live_app.extensions["content"]
    questionnaire = content.questionnaire(QUESTIONNAIRE)
    answers = _answers(content)
    expected = compute(content, QUESTIONNAIRE, [answers])
    by_area = {a["area"]: a for a in expected["areas"]}
    # The answers give the mix the journey is about (else the checks below prove little).
    stages = [a["stage"] for a in expected["areas"]]
    assert sum(1 for s in stages if s is not None and s >= 2) >= 3
    assert 0 in stages and FULL_INDEX in stages
    assert [a["status"] for a in expected["areas"]].count("insufficient") == 1
    assert DK in answers.values()
    title = {area: content.area(area).title.get("fi") for area in PLAN}
    scale = {}
    for option in questionnaire.scale:  # radio names: "3 pääosin", "en osaa sanoa"
        label = option.label.get("fi")
        scale[option.value] = label if option.value is None else f"{option.value} {label}"
    total = len(questionnaire.items)
    this_year = clock.today().year
    org = live_seeded["org"]

    page = new_page()
    sign_in(page, credentials["lead"])

    # --- the organisation dashboard and a new assessment ---------------------------------------
    page.get_by_role("link", name=org["name"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(org["name"])
    expect(
        page.get_by_text(ui_text("fi", "There is no assessment for %(year)d yet.", year=this_year))
    ).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name=ui_text("fi", "Start an assessment")).click()
    expect(page.get_by_label(ui_text("fi", "Year"))).to_have_value(str(this_year))
    check_a11y(page)
    page.get_by_role("radio", name=re.compile("^" + re.escape(questionnaire.title.get("fi")) + ":")).check()
    page.get_by_role("button", name=ui_text("fi", "Start"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/assessments/\d+/areas/{next(iter(PLAN))}$"))
    assessment_id = int(re.search(r"/assessments/(\d+)/", page.url).group(1))

    # --- every area page, mouse and keyboard, the progress rising -----------------------------
    answered = 0
    areas = list(PLAN)
    for number, area in enumerate(areas):
        expect(page.get_by_role("heading", level=1)).to_have_text(title[area])
        expect(page.locator(".progress-line")).to_contain_text(
            ui_text("fi", "%(answered)d/%(total)d statements answered", answered=answered, total=total)
        )
        check_a11y(page)
        _answer_area(page, content, area, answers, scale, ui_text, keyboard=number % 2 == 1)
        if area == "asenne":
            page.get_by_label(ui_text("fi", "Comment on this area (optional)")).fill(
                "Asenteista ei vielä ole yhteistä näkemystä."
            )
        answered += sum(1 for item in answers if content.items[item].area == area)
        last = number == len(areas) - 1
        button = "Save and go to the overview" if last else "Save and continue"
        page.get_by_role("button", name=ui_text("fi", button), exact=True).click()
        if not last:
            expect(page).to_have_url(re.compile(rf"/areas/{areas[number + 1]}$"))

    # --- the overview, marking it final --------------------------------------------------------
    expect(page).to_have_url(re.compile(rf"/assessments/{assessment_id}$"))
    expect(page.locator(".progress-summary")).to_contain_text(
        ui_text("fi", "%(answered)d/%(total)d statements answered", answered=answered, total=total)
    )
    expect(page.get_by_role("progressbar")).to_have_attribute("value", str(answered))
    check_a11y(page)
    page.get_by_role("link", name=ui_text("fi", "Mark as final…")).click()
    check_a11y(page)
    page.get_by_role("button", name=ui_text("fi", "Mark as final"), exact=True).click()
    expect(page.locator(".meta .badge")).to_have_text(ui_text("fi", "Final"))
    check_a11y(page)

    # --- results: statements, charts and their tables, next actions ---------------------------
    page.get_by_role("link", name=ui_text("fi", "Results"), exact=True).click()
    expect(page.locator("#radar.chart-drawn svg.main-svg").first).to_be_visible(timeout=30_000)
    for area, result in by_area.items():
        if result["status"] != "ok":
            statement = ui_text("fi", "%(area)s: not enough answers", area=title[area])
        elif result["stage"] == 0:
            statement = ui_text("fi", "%(area)s: not yet at stage 1", area=title[area])
        else:
            step = content.steps[result["steps"][result["stage"] - 1]["step"]]
            statement = ui_text(
                "fi",
                "%(area)s: stage %(stage)d/5 – %(step)s",
                area=title[area],
                stage=result["stage"],
                step=step.title.get("fi"),
            )
        shown = page.locator(f"#stage-{area} .stage-statement")
        expect(shown.locator("strong")).to_have_text(statement)
        if result["status"] == "ok":
            index = f"{result['index']:.2f}".replace(".", ",")
            expect(shown).to_contain_text(ui_text("fi", "index %(index)s", index=index))
    check_a11y(page)

    # The radar table says what the score says, and the drawn radar plots the same indices.
    radar_table = page.get_by_role("table", name=ui_text("fi", "Stage and maturity index per area"))
    rows = radar_table.locator("tbody tr")
    expect(rows).to_have_count(len(PLAN))
    page_scores: dict[str, tuple[int | None, float | None]] = {}
    for n, area in enumerate(PLAN):
        row = rows.nth(n)
        expect(row.get_by_role("rowheader")).to_have_text(title[area])
        cells = row.get_by_role("cell").all_text_contents()
        if cells[0].strip() == ui_text("fi", "not enough answers"):
            page_scores[area] = (None, None)
        else:
            page_scores[area] = (int(cells[0].split("/")[0]), _decimal(cells[1]))
        assert page_scores[area] == (by_area[area]["stage"], by_area[area]["index"]), area
    radar_values = page.evaluate(
        "() => document.getElementById('radar').data.find(t => t.mode === 'lines+markers').r"
    )
    assert radar_values[: len(PLAN)] == [page_scores[a][1] for a in PLAN]

    # The heatmap table and the drawn heatmap (on demand): the same fulfilment per step, ✓
    # where reached.
    page.locator(".heatmap-detail > summary").click()
    expect(page.locator("#heatmap.chart-drawn svg.main-svg").first).to_be_visible()
    heat_rows = page.get_by_role(
        "table", name=ui_text("fi", "Fulfilment of each step (✓ = reached)")
    ).locator("tbody tr")
    heat = page.evaluate(
        "() => { const t = document.getElementById('heatmap').data[0]; return {z: t.z, text: t.text}; }"
    )
    for n, area in enumerate(PLAN):
        cells = heat_rows.nth(n).get_by_role("cell").all_text_contents()
        for s, (cell, step) in enumerate(zip(cells, by_area[area]["steps"], strict=True)):
            drawn = heat["z"][n][s]
            if step["fulfilment"] is None:
                assert drawn is None and cell.strip() == "–", (area, s)
                continue
            percent = int(re.match(r"\s*(\d+)", cell).group(1))
            assert abs(percent - drawn * 100) <= 0.5 and drawn == step["fulfilment"], (area, s)
            assert ("✓" in cell) == step["reached"] == (heat["text"][n][s] == "✓"), (area, s)

    # Next actions: the next step's statements below "mostly", weakest first.
    improve = [a for a in by_area[IMPROVE_AREA]["next_actions"] if a["kind"] == "improve"]
    values = [a["value"] for a in improve]
    assert len(improve) >= 2 and values == sorted(values)
    step_items = dict(content.area_items(questionnaire))[IMPROVE_AREA]
    first_of_step = dict(step_items)[by_area[IMPROVE_AREA]["next_step"]][0]
    assert improve[0]["item"] != first_of_step  # the order is by value, not by questionnaire
    # Each area's next actions are inside its detail, opened on demand.
    page.locator(f"#stage-{IMPROVE_AREA} > summary").click()
    area_actions = page.locator(f"#next-area-{IMPROVE_AREA}")
    expect(area_actions.get_by_role("heading", level=3)).to_have_text(
        f"{ui_text('fi', 'Next actions')}: {title[IMPROVE_AREA]}"
    )
    expect(area_actions.locator("ol.suggestions > li .suggestion-text")).to_have_text(
        [content.items[a["item"]].claim("fi") for a in improve]
    )
    # Each statement with the roadmap text it comes from.
    expect(area_actions.locator("ol.suggestions > li .statement-source")).to_have_text(
        [f"Tulevaisuuspolulla: {content.items[a['item']].text.get('fi')}" for a in improve]
    )
    weakest = content.items[improve[0]["item"]]
    suggestion = area_actions.locator("ol.suggestions > li").first
    expect(suggestion).to_contain_text(scale[improve[0]["value"]].split(" ", 1)[1])
    # "Don't know" in the next step is something to find out.
    find_out = [
        content.items[a["item"]].claim("fi")
        for a in by_area["johtaminen"]["next_actions"]
        if a["kind"] == "find_out"
    ]
    assert find_out
    johtaminen = page.locator("#next-area-johtaminen")
    expect(johtaminen.locator("ul.suggestions .suggestion-text")).to_have_text(find_out)
    expect(page.locator("#next-area-asenne")).to_contain_text(
        ui_text(
            "fi",
            "Not enough answers to suggest next actions: %(answered)d of %(total)d "
            "statements have a value. Answer at least half of them to see the stage "
            "and the next actions.",
            answered=by_area["asenne"]["answered"],
            total=by_area["asenne"]["total"],
        )
    )

    # --- the weakest suggestion into the plan, for a goal the lead picks ----------------------
    goals = [link.goal for link in content.goals_for_step(weakest.step)]
    goal = content.goal(goals[-1])
    if len(goals) > 1:
        suggestion.get_by_label(ui_text("fi", "Programme goal")).select_option(str(goal.number))
    # "Lisää suunnitelmaan: <statement>" (a visually hidden part: Chromium puts a space before it)
    add = re.compile(rf"^{re.escape(ui_text('fi', 'Add to plan'))}\s?: {re.escape(weakest.claim('fi'))}$")
    suggestion.get_by_role("button", name=add).click()
    # The confirmation is shown where the lead pressed, with the entry's number.
    expect(page.locator(".added-to-plan")).to_be_visible()
    added = ui_text(
        "fi",
        "Added to the plan as entry %(n)d: “%(text)s”. Give it a responsible "
        "party and a schedule on the plan page.",
        n=7,
        text="X",
    )
    expect(page.locator(".added-to-plan")).to_contain_text(added.split("7")[0])
    in_plan = ui_text("fi", "In the plan: %(status)s", status=_plan_status(live_app, "Planned"))
    expect(page.get_by_role("link", name=in_plan)).to_be_visible()
    check_a11y(page)

    page.locator("nav.org-nav").get_by_role("link", name=ui_text("fi", "Plan"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ui_text("fi", "Action plan"))
    check_a11y(page)
    edit = f"{ui_text('fi', 'Edit')} {ui_text('fi', 'entry %(n)d', n=1)}"
    page.get_by_role("link", name=edit, exact=True).click()
    # A roadmap goal states a situation: the entry proposes an action (the goal's programme
    # action, or the roadmap's own action) in the UI language.
    chosen = goal.number if len(goals) > 1 else goals[0]
    action_text = suggested_action(content, weakest.id, chosen, "fi")
    expect(page.get_by_label(ui_text("fi", "Action"), exact=True)).to_have_value(action_text)
    check_a11y(page)
    page.get_by_label(ui_text("fi", "Responsible (Vastuutaho)")).fill("Hankintapalvelut")
    page.get_by_label(ui_text("fi", "Year"), exact=True).fill(str(this_year + 1))
    page.get_by_label(ui_text("fi", "Quarter"), exact=True).select_option(
        label=ui_text("fi", "Quarter %(n)d", n=2)
    )
    page.get_by_role("button", name=ui_text("fi", "Save"), exact=True).click()
    expect(page.get_by_text(ui_text("fi", "The plan entry was saved."))).to_be_visible()
    check_a11y(page)

    in_progress = _plan_status(live_app, "In progress")
    page.get_by_label(ui_text("fi", "New status of entry %(n)d", n=1)).select_option(label=in_progress)
    page.get_by_role(
        "button", name=f"{ui_text('fi', 'Update')} {ui_text('fi', 'status of entry %(n)d', n=1)}"
    ).click()
    expect(
        page.get_by_text(ui_text("fi", "Status changed to “%(status)s”.", status=in_progress))
    ).to_be_visible()
    check_a11y(page)

    # The programme's layout: goal | action | metrics | responsible | schedule | status.
    schedule = format_schedule(this_year + 1, 2, "fi")
    plan_rows = page.locator("table.plan-table tbody tr")
    expect(plan_rows).to_have_count(1)
    row = plan_rows.first
    expect(row.get_by_role("rowheader")).to_contain_text(goal.text.get("fi"))
    cells = row.get_by_role("cell")
    expect(cells.nth(0)).to_contain_text(f"1. {action_text}")
    metrics = [m.text.get("fi") for action in goal.actions for m in action.metrics]
    if metrics:
        expect(cells.nth(1)).to_contain_text(metrics[0])
    expect(cells.nth(2)).to_have_text("Hankintapalvelut")
    expect(cells.nth(3)).to_have_text(schedule)
    expect(cells.nth(4).locator(".badge")).to_have_text(in_progress)
    # The timeline: its table and the drawn bar, in the in-progress colour group.
    timeline = page.get_by_role("table", name=ui_text("fi", "Plan entries by schedule"))
    expect(timeline.locator("tbody tr")).to_have_count(1)
    expect(timeline.get_by_role("rowheader")).to_have_text(f"1. {action_text}")
    expect(timeline.get_by_role("cell")).to_have_text([schedule, in_progress, "Hankintapalvelut"])
    expect(page.locator("#timeline.chart-drawn svg.main-svg").first).to_be_visible()
    bars = page.evaluate(
        "() => document.getElementById('timeline').data.map(t => ({name: t.name, n: t.y.length}))"
    )
    assert bars == [{"name": in_progress, "n": 1}]
    page.goto(f"/orgs/{org['id']}/plan")  # the plan by its own address, without the #fragment
    expect(page.locator("#timeline.chart-drawn svg.main-svg").first).to_be_visible()
    check_a11y(page)

    # --- `assess score` on what the browser stored agrees with the page ------------------------
    with live_app.app_context():
        stored = assessments.answers_by_respondent(get_db(), assessment_id)
    assert len(stored) == 1
    (saved,) = stored.values()
    assert saved == answers  # every click was stored, "don't know" as null, skipped ones absent
    answer_file = tmp_path / "journey-answers.json"
    answer_file.write_text(json.dumps({"answers": saved}), encoding="utf-8")
    run = live_app.test_cli_runner().invoke(args=["score", QUESTIONNAIRE, str(answer_file)])
    assert run.exit_code == 0, run.output
    document = json.loads(run.stdout)
    assert list(document["areas"]) == list(PLAN)
    for area, doc in document["areas"].items():
        assert (doc["stage"], doc["index"]) == page_scores[area], area
        assert doc["status"] == ("insufficient" if page_scores[area][0] is None else "ok")
    assert document["areas"][IMPROVE_AREA]["next_actions"][0] == {
        "item": weakest.id,
        "value": improve[0]["value"],
    }
