"""The content model: the roadmap, the programme, the links and the questionnaires as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..metrics import CHOOSABLE_KINDS, VALUE_KINDS

LANGUAGES = ("fi", "en")
# A metric's kind in the content: a value kind of the registry (metrics.KINDS), or one whose
# value kind each organisation chooses.
METRIC_KINDS = (*VALUE_KINDS, *CHOOSABLE_KINDS)


@dataclass(frozen=True)
class Text:
    """A text in both languages."""

    fi: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.fi

    def as_dict(self) -> dict[str, str]:
        return {"fi": self.fi, "en": self.en}


@dataclass(frozen=True)
class Wording:
    """The questionnaire layer over a roadmap item: the claim respondents rate on the 0-4 scale
    and the observable signs that justify answering 4 ("täysin tarkoittaa" / "fully means")."""

    statement: Text
    guidance: Text


@dataclass(frozen=True)
class Goal:
    id: str
    text: Text
    wording: Wording | None = None  # None in content from before statements existed


@dataclass(frozen=True)
class Action:
    id: str
    text: Text
    goal: str
    wording: Wording | None = None


@dataclass(frozen=True)
class Step:
    id: str
    area: str
    year: int
    title: Text
    goals: tuple[Goal, ...]
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Area:
    id: str
    title: Text
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Item:
    """A roadmap statement (a step's goal or action) that a questionnaire can ask about."""

    id: str
    kind: Literal["goal", "action"]
    text: Text
    step: str
    area: str
    year: int
    goal: str | None  # the goal an action belongs to
    wording: Wording | None = None

    def claim(self, lang: str) -> str:
        """What respondents rate: the statement, or the roadmap text itself in content from
        before statements existed (so old assessments read exactly as they were answered)."""
        return (self.wording.statement if self.wording else self.text).get(lang)

    def source(self, lang: str) -> str | None:
        """The roadmap text shown beside the statement as its source; None when the roadmap
        text is itself the claim."""
        return self.text.get(lang) if self.wording else None

    def guidance(self, lang: str) -> str | None:
        """What "fully" means for this item; None when the content has no statements."""
        return self.wording.guidance.get(lang) if self.wording else None


@dataclass(frozen=True)
class Metric:
    id: str
    text: Text
    kind: str


@dataclass(frozen=True)
class ProgrammeAction:
    id: str
    text: Text
    metrics: tuple[Metric, ...]


@dataclass(frozen=True)
class Theme:
    id: str
    title: Text


@dataclass(frozen=True)
class ProgrammeGoal:
    number: int
    theme: str
    text: Text
    actions: tuple[ProgrammeAction, ...]


@dataclass(frozen=True)
class Link:
    step: str
    goal: int
    reason: Text


@dataclass(frozen=True)
class ScaleOption:
    value: int | None  # None is "don't know"
    label: Text


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: Text
    description: Text
    threshold: float
    scale: tuple[ScaleOption, ...]
    items: tuple[str, ...]
    version: int


@dataclass(frozen=True)
class Term:
    """A glossary entry: the one word the tool uses for a concept, in both languages, and the
    synonyms it must not use for it (per language)."""

    id: str
    term: Text
    definition: Text
    avoid_fi: tuple[str, ...] = ()
    avoid_en: tuple[str, ...] = ()

    def avoid(self, lang: str) -> tuple[str, ...]:
        return self.avoid_en if lang == "en" else self.avoid_fi


@dataclass(frozen=True)
class Content:
    """Everything the tool knows of the roadmap and the programme, for one content version."""

    version: str
    areas: tuple[Area, ...]
    programme_title: Text
    themes: tuple[Theme, ...]
    goals: tuple[ProgrammeGoal, ...]
    links: tuple[Link, ...]
    questionnaires: tuple[Questionnaire, ...]
    file_versions: dict[str, int] = field(default_factory=dict)
    glossary: tuple[Term, ...] = ()
    # Lookup tables, built once in __post_init__ (not fields a caller gives or compares).
    _items: dict[str, Item] = field(init=False, repr=False, compare=False)
    _steps: dict[str, Step] = field(init=False, repr=False, compare=False)
    _areas: dict[str, Area] = field(init=False, repr=False, compare=False)
    _goals: dict[int, ProgrammeGoal] = field(init=False, repr=False, compare=False)
    _questionnaires: dict[str, Questionnaire] = field(init=False, repr=False, compare=False)
    _metrics: dict[str, tuple[int, ProgrammeAction, Metric]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items: dict[str, Item] = {}
        steps: dict[str, Step] = {}
        for area in self.areas:
            for step in area.steps:
                steps[step.id] = step
                for g in step.goals:
                    items[g.id] = Item(g.id, "goal", g.text, step.id, area.id, step.year, None, g.wording)
                for a in step.actions:
                    items[a.id] = Item(a.id, "action", a.text, step.id, area.id, step.year, a.goal, a.wording)
        object.__setattr__(self, "_items", items)
        object.__setattr__(self, "_steps", steps)
        object.__setattr__(self, "_areas", {a.id: a for a in self.areas})
        object.__setattr__(self, "_goals", {g.number: g for g in self.goals})
        object.__setattr__(self, "_questionnaires", {q.id: q for q in self.questionnaires})
        metrics = {m.id: (g.number, a, m) for g in self.goals for a in g.actions for m in a.metrics}
        object.__setattr__(self, "_metrics", metrics)

    # --- lookups -------------------------------------------------------------------
    @property
    def items(self) -> dict[str, Item]:
        return self._items

    @property
    def steps(self) -> dict[str, Step]:
        return self._steps

    def area(self, area_id: str) -> Area:
        return self._areas[area_id]

    def has_area(self, area_id: str) -> bool:
        return area_id in self._areas

    def goal(self, number: int) -> ProgrammeGoal:
        return self._goals[number]

    def has_goal(self, number: int) -> bool:
        return number in self._goals

    def theme(self, theme_id: str) -> Theme:
        return next(t for t in self.themes if t.id == theme_id)

    def metric(self, metric_id: str) -> tuple[int, ProgrammeAction, Metric] | None:
        """The programme goal number, action and metric for a metric id."""
        return self._metrics.get(metric_id)

    @property
    def metrics(self) -> dict[str, tuple[int, ProgrammeAction, Metric]]:
        return self._metrics

    def questionnaire(self, qid: str) -> Questionnaire | None:
        return self._questionnaires.get(qid)

    def goals_for_step(self, step_id: str) -> list[Link]:
        """The programme goals a roadmap step advances, in goal order."""
        return sorted((lk for lk in self.links if lk.step == step_id), key=lambda lk: lk.goal)

    def steps_for_goal(self, number: int) -> list[Link]:
        """The roadmap steps that advance a programme goal, in roadmap order."""
        order = {s: i for i, s in enumerate(self.steps)}
        return sorted((lk for lk in self.links if lk.goal == number), key=lambda lk: order[lk.step])

    def area_items(self, questionnaire: Questionnaire) -> list[tuple[str, list[tuple[str, list[str]]]]]:
        """The questionnaire's items grouped as [(area, [(step, [item ids])])], roadmap order.

        Within a step the items keep the questionnaire's own order.
        """
        by_step: dict[str, list[str]] = {s: [] for s in self.steps}
        for item_id in questionnaire.items:
            by_step[self.items[item_id].step].append(item_id)
        return [(a.id, [(s.id, by_step[s.id]) for s in a.steps]) for a in self.areas]
