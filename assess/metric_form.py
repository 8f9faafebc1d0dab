"""Reading a year's metric values form: what changed and what is wrong, field by field.

Pure: no Flask, no SQL. Each metric has the form fields ``value-<id>``, ``note-<id>``,
``source-<id>``, ``kind-<id>`` (only for metrics whose kind the organisation chooses) and
the hidden ``was-<id>``: a fingerprint of what the page showed. A metric whose fields
still match their fingerprint was not touched by the user and is left alone, so a form
opened before another lead saved does not overwrite that lead's values. A metric whose
value field is missing from the post altogether is left alone too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .metrics import CHOOSABLE_KINDS, ERROR_CODES, VALUE_KINDS, effective_kind, parse_value

NOTE_MAX_LENGTH = 1000
SOURCE_MAX_LENGTH = 500

FORM_ERROR_CODES = ERROR_CODES + ("kind_required", "kind_unknown", "value_missing")
"""ERROR_CODES plus the form's own: a value before its kind is chosen, a kind not in the
list, and a note or source without a value."""

Value = bool | int | float | str


@dataclass(frozen=True)
class Stored:
    """A metric's stored value for one year."""

    kind: str
    value: Value
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class Raw:
    """A metric's fields as typed (or as shown), stripped."""

    value: str = ""
    kind: str = ""
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class Change:
    """A value to store; ``value`` None removes the year's value."""

    metric: str
    kind: str | None
    value: Value | None
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class FieldError:
    code: str  # one of FORM_ERROR_CODES
    kind: str | None  # the value kind the field was read as, for a precise message


@dataclass
class FormResult:
    changes: list[Change] = field(default_factory=list)
    kinds: dict[str, str | None] = field(default_factory=dict)
    """Chosen value kinds to store per metric (None forgets the choice)."""
    errors: dict[str, FieldError] = field(default_factory=dict)
    """By form field name, e.g. "value-p1-a1-m1"."""
    raw: dict[str, Raw] = field(default_factory=dict)
    """What was posted, by metric, to show again when the form is refused."""

    @property
    def ok(self) -> bool:
        return not self.errors


def field_name(field_: str, metric_id: str) -> str:
    """The form field name of one of a metric's fields: "value-p1-a1-m1"."""
    return f"{field_}-{metric_id}"


def _clean(text: str | None) -> str:
    # Browsers send textarea line breaks as CRLF; compare and store them as LF.
    return (text or "").replace("\r\n", "\n").strip()


def fingerprint(raw: Raw) -> str:
    """A short digest of a metric's shown fields (kept in the hidden ``was-`` field)."""
    joined = "\x1f".join((raw.value, raw.kind, raw.note, raw.source))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def raw_from_form(metric_id: str, form: Mapping[str, str]) -> Raw | None:
    """The posted fields of a metric; None when its value field was not posted at all."""
    value = form.get(field_name("value", metric_id))
    if value is None:
        return None
    return Raw(
        value=_clean(value),
        kind=_clean(form.get(field_name("kind", metric_id))),
        note=_clean(form.get(field_name("note", metric_id))),
        source=_clean(form.get(field_name("source", metric_id))),
    )


def read_form(
    metrics: Sequence[tuple[str, str]],
    chosen: Mapping[str, str],
    stored: Mapping[str, Stored],
    form: Mapping[str, str],
) -> FormResult:
    """Validate a posted form.

    ``metrics`` are (metric id, metric kind) pairs from the content (posted fields of
    other ids are ignored), ``chosen`` the organisation's chosen kinds, ``stored`` the
    year's stored values. The result's changes and kinds are to be saved only when
    ``ok``; an empty value removes a stored one.
    """
    result = FormResult()
    for metric_id, metric_kind in metrics:
        raw = raw_from_form(metric_id, form)
        if raw is None:
            continue
        result.raw[metric_id] = raw
        if form.get(field_name("was", metric_id)) == fingerprint(raw):
            continue
        _read_metric(metric_id, metric_kind, raw, chosen, stored, result)
    return result


def _read_metric(
    metric_id: str,
    metric_kind: str,
    raw: Raw,
    chosen: Mapping[str, str],
    stored: Mapping[str, Stored],
    result: FormResult,
) -> None:
    def error(field_: str, code: str, kind: str | None = None) -> None:
        result.errors[field_name(field_, metric_id)] = FieldError(code, kind)

    choice: str | None = None
    if metric_kind in CHOOSABLE_KINDS:
        if raw.kind and raw.kind not in VALUE_KINDS:
            error("kind", "kind_unknown")
            return
        choice = raw.kind or None
        if choice != chosen.get(metric_id):
            result.kinds[metric_id] = choice
    kind = effective_kind(metric_kind, choice)

    if len(raw.note) > NOTE_MAX_LENGTH:
        error("note", "too_long")
    if len(raw.source) > SOURCE_MAX_LENGTH:
        error("source", "too_long")

    if not raw.value:
        if raw.note or raw.source:
            error("value", "value_missing", kind)
        elif metric_id in stored:
            result.changes.append(Change(metric_id, None, None))
        return
    if kind is None:
        error("kind", "kind_required")
        return
    parsed = parse_value(kind, raw.value)
    if parsed.error is not None:
        error("value", parsed.error, kind)
        return
    result.changes.append(Change(metric_id, kind, parsed.value, raw.note, raw.source))
