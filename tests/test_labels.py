"""The words for stored codes come from one table each (assess/labels.py) and read in the
reader's language wherever they are shown."""

from __future__ import annotations

import pytest

from assess import labels, templating
from tests.test_i18n import finnish


@pytest.mark.parametrize("table", sorted(labels.TABLES))
def test_every_label_has_a_finnish_translation(table):
    fi = finnish()
    missing = [msgid for msgid in labels.TABLES[table].values() if msgid not in fi]
    assert not missing, f"{table}: no Finnish for {missing}"


@pytest.mark.parametrize(
    ("table", "code", "fi", "en"),
    [
        ("plan_status", "in_progress", "Käynnissä", "In progress"),
        ("assessment_kind", "round", "Tiimikierros", "Team round"),
        ("path_position", "behind", None, "Behind the path"),
        ("security_outcome", "failed", None, "failed"),
    ],
)
def test_label_reads_in_the_readers_language(app, table, code, fi, en):
    for lang, expected in (("fi", fi or finnish()[labels.TABLES[table][code]]), ("en", en)):
        with app.test_request_context():
            from flask import session

            session["lang"] = lang
            assert templating.label(table, code) == expected


def test_an_unknown_code_shows_as_itself_and_none_as_a_dash(app):
    with app.test_request_context():
        assert templating.label("plan_status", "someday") == "someday"
        assert templating.label("plan_status", None) == "–"


def test_filters_and_helpers_are_registered_once_by_the_factory(app):
    for name in (
        "date",
        "datetime",
        "index",
        "team_value",
        "spread",
        "number",
        "fulfilment_percent",
        "index_number",
        "answer_value",
        "local_date",
        "local_datetime",
    ):
        assert app.jinja_env.filters[name] is templating.FILTERS[name]
    for name in ("quarter", "plan_schedule_text", "label", "plan_status_label", "round_number"):
        assert app.jinja_env.globals[name] is templating.GLOBALS[name]
