"""A plan entry as pages show it (the plan page, carried-over sections), and its status form.
Its status labels are in assess/labels.py, its schedule text in assess/formatting.py."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import InputRequired

from ..content import Content
from ..formatting import format_schedule
from ..storage.rows import PlanEntryRow
from ..templating import choices


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), invalid_choice_message=_l("Choose one of the statuses listed."))
    revision = HiddenField(validators=[InputRequired()])
    # The page the change was made on (an assessment's or round's carried-over plan), to go
    # back to; only a same-site path is followed.
    next = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = choices("plan_status")


def shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def entry_view(entry: PlanEntryRow, source: Content, lang: str) -> dict[str, Any]:
    """An entry with what a page shows of it: its number (stored: it never changes),
    schedule text and roadmap step."""
    step = source.steps.get(entry["step"]) if entry["step"] else None
    area = source.area(step.area) if step and source.has_area(step.area) else None
    return dict(
        entry,
        schedule=format_schedule(entry["schedule_year"], entry["schedule_quarter"], lang),
        step_label=(f"{area.title.get(lang)} – {_('step %(n)d', n=step.year)}" if step and area else None),
        item_text=source.items[entry["item"]].text.get(lang) if entry["item"] in source.items else None,
    )
