"""Moving one organisation between installations: the export file format and its validation
(pure: no Flask, no SQL).

An export file is one JSON object::

    {"format": "hankintapolku-export", "format_version": 1, "exported_at": "…",
     "organisation": {"slug", "name", "path_start_year", "is_demo", "plan_numbers_used"},
     "content_versions": [{"version", "document"}],   # every version answered on
     "assessments": [{"id", "year", "questionnaire", "content_version", "kind", "status",
                      "title", "counts", "anonymous", "show_team_to_respondents",
                      "deadline", "created_at", "finalised_at", "archived_at"}],
     "respondents": [{"id", "assessment", "shared", "name", "alias", "created_at",
                      "updated_at"}],
     "answers": [{"respondent", "item", "value", "updated_at"}],
     "comments": [{"respondent", "area", "comment", "updated_at"}],
     "agreements": [{"assessment", "area", "agreed_stage", "reason", "updated_at"}],
     "workshops": [{"assessment", "position", "revealed", "show_code", "ended", "updated_at"}],
     "plan_entries": [{"id", "number", "step", "goal", "item", "text", "responsible", "schedule_year",
                       "schedule_quarter", "status", "created_in", "created_at",
                       "updated_at", "done_at"}],
     "plan_events": [{"entry", "status", "at"}],
     "targets": [{"year", "area", "stage"}],
     "metric_kinds": [{"metric", "kind"}],
     "metric_values": [{"year", "metric", "kind", "value", "note", "source", "updated_at"}]}

Ids are the file's own references (an answer names its respondent, a respondent its
assessment); the importing installation gives new ones. What does not move: users and
their roles, personal links of round respondents (only a hash of each is stored and the
installation's secret differs, so they could not work elsewhere anyway; respondents keep
their answers), join codes (new ones are made) and cached results (recomputed).
"plan_numbers_used" and "show_team_to_respondents" are optional (files made before them
import as 0 and false). Respondents' names are exported only in named rounds. Archived
assessments are exported and imported archived ("archived_at", optional); a respondent
whose name was erased or replaced by the retention rule has no name and an "alias" number ("Respondent 3").

``validate`` checks the whole file and returns every problem it finds, each with its
place in the file ("answers[12].value") and what is wrong, as a msgid with parameters so
the command line and the administrator's page can each show it in their language.

The package, one responsibility a module: fileformat (the marker, load/dump, Problem),
checks (limits, type tests, the problem collector), content_versions (the content documents
in the file), assessments (assessments, respondents, answers, comments, agreements,
workshops), org_data (the organisation, plan, targets, metric values) and validation
(validate, running them all in order). Callers use the names imported here.
"""

from .checks import MAX_NAME
from .fileformat import FORMAT, FORMAT_VERSION, SECTIONS, Problem, dump, load
from .org_data import metric_value_problem
from .subset import only_assessment
from .validation import Checked, validate

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_NAME",
    "SECTIONS",
    "Checked",
    "Problem",
    "dump",
    "load",
    "metric_value_problem",
    "only_assessment",
    "validate",
]
