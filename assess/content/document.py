"""Content as one JSON document (assess content --json, /api/content, stored snapshots) and back."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .model import (
    Action,
    Area,
    Content,
    Goal,
    Link,
    Metric,
    ProgrammeAction,
    ProgrammeGoal,
    Questionnaire,
    ScaleOption,
    Step,
    Term,
    Text,
    Theme,
    Wording,
)
from .reader import ContentError


def to_document(content: Content) -> dict[str, Any]:
    """The whole content as one JSON-ready document, every text as {"fi", "en"}."""
    return {
        "version": content.version,
        "files": dict(content.file_versions),
        "roadmap": {
            "areas": [
                {
                    "id": a.id,
                    "title": a.title.as_dict(),
                    "steps": [
                        {
                            "id": s.id,
                            "year": s.year,
                            "title": s.title.as_dict(),
                            "goals": [
                                {"id": g.id, "text": g.text.as_dict(), **_wording(g.wording)} for g in s.goals
                            ],
                            "actions": [
                                {"id": x.id, "text": x.text.as_dict(), "goal": x.goal, **_wording(x.wording)}
                                for x in s.actions
                            ],
                        }
                        for s in a.steps
                    ],
                }
                for a in content.areas
            ]
        },
        "programme": {
            "title": content.programme_title.as_dict(),
            "themes": [{"id": t.id, "title": t.title.as_dict()} for t in content.themes],
            "goals": [
                {
                    "number": g.number,
                    "theme": g.theme,
                    "text": g.text.as_dict(),
                    "actions": [
                        {
                            "id": a.id,
                            "text": a.text.as_dict(),
                            "metrics": [
                                {"id": m.id, "text": m.text.as_dict(), "kind": m.kind} for m in a.metrics
                            ],
                        }
                        for a in g.actions
                    ],
                }
                for g in content.goals
            ],
        },
        "links": [{"step": lk.step, "goal": lk.goal, "reason": lk.reason.as_dict()} for lk in content.links],
        "questionnaires": [
            {
                "id": q.id,
                "version": q.version,
                "title": q.title.as_dict(),
                "description": q.description.as_dict(),
                "threshold": q.threshold,
                "scale": [{"value": o.value, "label": o.label.as_dict()} for o in q.scale],
                "items": list(q.items),
            }
            for q in content.questionnaires
        ],
        # Only when there is one: a snapshot from before the glossary keeps its digest.
        **(
            {
                "glossary": [
                    {
                        "id": t.id,
                        "term": t.term.as_dict(),
                        "definition": t.definition.as_dict(),
                        "avoid": {"fi": list(t.avoid_fi), "en": list(t.avoid_en)},
                    }
                    for t in content.glossary
                ]
            }
            if content.glossary
            else {}
        ),
    }


def _wording(wording: Wording | None) -> dict[str, Any]:
    """An item's statement and guidance as document keys; none for content from before them,
    so that the stored snapshot of such a version keeps its digest."""
    if wording is None:
        return {}
    return {"statement": wording.statement.as_dict(), "guidance": wording.guidance.as_dict()}


def _read_wording(entry: dict[str, Any]) -> Wording | None:
    if "statement" not in entry and "guidance" not in entry:
        return None
    return Wording(_t(entry["statement"]), _t(entry["guidance"]))


def content_version(content: Content) -> str:
    """A short digest of everything in the content: any change of any text or rule gives a new one."""
    doc = to_document(content)
    doc.pop("version")
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _t(d: dict[str, str]) -> Text:
    return Text(d["fi"], d["en"])


def from_document(doc: dict[str, Any]) -> Content:
    """Rebuild a Content from its document (a stored snapshot or an import file).

    Raises ContentError when the document is not a content document or was altered:
    its digest must still match its version.
    """
    try:
        areas = tuple(
            Area(
                a["id"],
                _t(a["title"]),
                tuple(
                    Step(
                        s["id"],
                        a["id"],
                        int(s["year"]),
                        _t(s["title"]),
                        tuple(Goal(g["id"], _t(g["text"]), _read_wording(g)) for g in s["goals"]),
                        tuple(
                            Action(x["id"], _t(x["text"]), x["goal"], _read_wording(x)) for x in s["actions"]
                        ),
                    )
                    for s in a["steps"]
                ),
            )
            for a in doc["roadmap"]["areas"]
        )
        prog = doc["programme"]
        content = Content(
            version=doc["version"],
            areas=areas,
            programme_title=_t(prog["title"]),
            themes=tuple(Theme(t["id"], _t(t["title"])) for t in prog["themes"]),
            goals=tuple(
                ProgrammeGoal(
                    int(g["number"]),
                    g["theme"],
                    _t(g["text"]),
                    tuple(
                        ProgrammeAction(
                            a["id"],
                            _t(a["text"]),
                            tuple(Metric(m["id"], _t(m["text"]), m["kind"]) for m in a["metrics"]),
                        )
                        for a in g["actions"]
                    ),
                )
                for g in prog["goals"]
            ),
            links=tuple(Link(lk["step"], int(lk["goal"]), _t(lk["reason"])) for lk in doc["links"]),
            questionnaires=tuple(
                Questionnaire(
                    q["id"],
                    _t(q["title"]),
                    _t(q["description"]),
                    float(q["threshold"]),
                    tuple(ScaleOption(o["value"], _t(o["label"])) for o in q["scale"]),
                    tuple(q["items"]),
                    int(q["version"]),
                )
                for q in doc["questionnaires"]
            ),
            file_versions=dict(doc.get("files", {})),
            glossary=tuple(
                Term(
                    t["id"],
                    _t(t["term"]),
                    _t(t["definition"]),
                    tuple(t["avoid"]["fi"]),
                    tuple(t["avoid"]["en"]),
                )
                for t in doc.get("glossary", [])
            ),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ContentError([f"content document: not a valid content document ({exc!r})"]) from exc
    digest = content_version(content)
    if digest != content.version:
        raise ContentError(
            [
                f"content document {content.version}: its texts do not match its version "
                f"(digest {digest}); the document was altered"
            ]
        )
    return content
