"""The heading of a workshop slide, on the projector and on the phones."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import workshop
from ..content import Content


def step_label(version: Content, step_id: str, lang: str) -> str:
    """ "Year 2: <step title>", as the projector names a roadmap step."""
    step = version.steps[step_id]
    return _("Year %(year)d: %(step)s", year=step.year, step=step.title.get(lang))


def slide_heading(version: Content, slide: workshop.Slide | None, lang: str) -> dict:
    """{"title", "subtitle"} of a slide: the area, and for a per-step walk the step (and part)."""
    if slide is None:
        return {"title": _("Workshop summary"), "subtitle": ""}
    title = version.area(slide.area).title.get(lang)
    if slide.step is None:
        part = _("(part %(part)d/%(parts)d)", part=slide.part, parts=slide.parts)
        return {"title": title, "subtitle": part if slide.parts > 1 else ""}
    subtitle = step_label(version, slide.step, lang)
    if slide.parts > 1:
        subtitle += " " + _("(part %(part)d/%(parts)d)", part=slide.part, parts=slide.parts)
    return {"title": title, "subtitle": subtitle}
