"""Cached results follow the rules: a rule change without a new RULE_VERSION fails here, and a
result cached under an older rule version is computed again instead of being shown."""

from __future__ import annotations

import hashlib
import json

from assess import ROOT, rules
from assess.storage import assessments
from assess.storage import results as stored_results
from assess.storage.db import write


def test_rule_modules_unchanged_since_the_rule_version_was_set():
    text = b"".join((ROOT / "assess" / name).read_bytes() for name in rules.RULE_MODULES)
    digest = hashlib.sha256(text).hexdigest()[:16]
    assert digest == rules.RULE_SOURCES_DIGEST, (
        f"{', '.join(rules.RULE_MODULES)} changed: raise RULE_VERSION in assess/rules.py (cached "
        f"results of final assessments are then computed again) and set RULE_SOURCES_DIGEST = "
        f'"{digest}"'
    )


def _final_single(app, db, org_id: int) -> dict:
    content = app.extensions["content"]
    row = assessments.create_assessment(
        db,
        org_id=org_id,
        year=2025,
        questionnaire="quick",
        content_version=content.version,
        kind="single",
        created_by=None,
    )
    respondent = assessments.shared_respondent(db, row["id"])
    answers = {item: 4 for item in content.questionnaire("quick").items}
    assessments.save_area(
        db,
        respondent_id=respondent["id"],
        area="all",
        changes=answers,
        base={},
        comment=None,
        base_comment=None,
    )
    assessments.finalise(db, row["id"])
    return assessments.get_assessment(db, row["id"])


def _tamper_cache(db, assessment_id: int, *, rules_version: int) -> None:
    """Mark the cached result with a recognisable stage, as if another rule had computed it."""
    row = db.execute("SELECT result FROM result_cache WHERE assessment_id = ?", (assessment_id,)).fetchone()
    stored = json.loads(row["result"])
    stored["stamp"]["rules"] = rules_version
    stored["result"]["marker"] = "computed by another rule"
    with write(db):
        db.execute(
            "UPDATE result_cache SET result = ? WHERE assessment_id = ?", (json.dumps(stored), assessment_id)
        )


def test_a_result_cached_under_the_current_rules_is_read_from_the_cache(app, db, seeded):
    assessment = _final_single(app, db, seeded["org"]["id"])
    content = app.extensions["content"]
    stored_results.result_for(db, assessment, content)
    _tamper_cache(db, assessment["id"], rules_version=rules.RULE_VERSION)
    assert stored_results.result_for(db, assessment, content)["marker"] == "computed by another rule"


def test_a_result_cached_under_older_rules_is_computed_again(app, db, seeded):
    assessment = _final_single(app, db, seeded["org"]["id"])
    content = app.extensions["content"]
    fresh = stored_results.result_for(db, assessment, content)
    _tamper_cache(db, assessment["id"], rules_version=rules.RULE_VERSION - 1)
    again = stored_results.result_for(db, assessment, content)
    assert "marker" not in again
    assert again == fresh
    # ... and the recomputed result replaces the stale row.
    row = db.execute(
        "SELECT result FROM result_cache WHERE assessment_id = ?", (assessment["id"],)
    ).fetchone()
    assert json.loads(row["result"])["stamp"]["rules"] == rules.RULE_VERSION
