"""The export file itself: its format marker and version, reading and writing its JSON, and
the Problem every check reports (pure: no Flask, no SQL)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

FORMAT = "hankintapolku-export"
FORMAT_VERSION = 1
SECTIONS = (
    "content_versions",
    "assessments",
    "respondents",
    "answers",
    "comments",
    "agreements",
    "workshops",
    "plan_entries",
    "plan_events",
    "targets",
    "metric_kinds",
    "metric_values",
)
"""The list sections of an export document, in the order they are written and checked."""


def N_(msgid: str) -> str:
    """Marks a msgid that is translated where the problem is shown."""
    return msgid


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import file: where (``path``) and what (``message`` % params)."""

    path: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def what(self, translate: Callable[[str], str] = lambda s: s) -> str:
        """What is wrong, in the language of ``translate``."""
        message = translate(self.message)
        return message % dict(self.params) if self.params else message

    def text(self, translate: Callable[[str], str] = lambda s: s) -> str:
        """ "path: what is wrong"."""
        return f"{self.path}: {self.what(translate)}"


def load(raw: bytes | str) -> tuple[Any, list[Problem]]:
    """The file's JSON, or the problem that it is not JSON at all."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        return json.loads(text), []
    except UnicodeDecodeError:
        return None, [Problem("file", N_("The file is not UTF-8 text."))]
    except RecursionError:
        return None, [Problem("file", N_("The file is nested too deeply to be an export file."))]
    except json.JSONDecodeError as exc:
        return None, [
            Problem(
                "file",
                N_("The file is not valid JSON (line %(line)d, column %(column)d: %(error)s)."),
                {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
            )
        ]


def dump(document: Mapping[str, Any]) -> str:
    """An export document as the JSON text of the file."""
    return json.dumps(document, ensure_ascii=False, indent=1)
