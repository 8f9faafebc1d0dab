"""A small reader for nested data that records where every problem is, for content error messages."""

from __future__ import annotations

from typing import Any

from .model import LANGUAGES, Text


class ContentError(Exception):
    """Content that cannot be used; carries every problem found, each naming file and place."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class Problems:
    """Collects problems so that one run reports all of them, not just the first."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, file: str, place: str, what: str) -> None:
        where = f"{file}: {place}" if place else file
        self.items.append(f"{where}: {what}")

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)


_TYPE_NAMES = {dict: "a mapping (key: value)", list: "a list", str: "a text", int: "a whole number"}


class Node:
    """A value inside a file, with the path that leads to it."""

    def __init__(self, problems: Problems, file: str, value: Any, place: str = ""):
        self.problems, self.file, self.value, self.place = problems, file, value, place

    def _at(self, key: str | int, label: str = "") -> str:
        step = f"[{key}]" if isinstance(key, int) else (f".{key}" if self.place else key)
        return f"{self.place}{step}{f' ({label})' if label else ''}"

    def fail(self, what: str) -> None:
        self.problems.add(self.file, self.place, what)

    def is_a(self, kind: type) -> bool:
        ok = isinstance(self.value, kind) and not (kind is int and isinstance(self.value, bool))
        if not ok:
            self.fail(f"expected {_TYPE_NAMES.get(kind, kind.__name__)}, found {_describe(self.value)}")
        return ok

    def get(self, key: str, kind: type, *, required: bool = True) -> Node | None:
        """The child at key, if this is a mapping, the key is present and the value has the kind."""
        if not isinstance(self.value, dict):
            return None
        if key not in self.value or self.value[key] is None:
            if required:
                self.fail(f'the key "{key}" is missing; add it')
            return None
        child = Node(self.problems, self.file, self.value[key], self._at(key))
        return child if child.is_a(kind) else None

    def children(self, label_key: str = "id") -> list[Node]:
        """The elements of a list, each labelled with its id (when it has one) for messages."""
        out = []
        for i, v in enumerate(self.value if isinstance(self.value, list) else []):
            label = str(v.get(label_key, "")) if isinstance(v, dict) else ""
            out.append(Node(self.problems, self.file, v, self._at(i, label)))
        return out

    def string(self, key: str) -> str | None:
        node = self.get(key, str)
        if node is None:
            return None
        if not node.value.strip():
            node.fail("is empty; write the text")
            return None
        return node.value

    def text(self, key: str) -> Text | None:
        """A {fi, en} text; both languages must be present and non-empty."""
        node = self.get(key, dict)
        if node is None:
            return None
        ok = True
        for lang in LANGUAGES:
            value = node.value.get(lang)
            if not isinstance(value, str) or not value.strip():
                name = {"fi": "Finnish", "en": "English"}[lang]
                node.fail(f'the {name} text ("{lang}") is missing or empty; add it')
                ok = False
        extra = sorted(set(node.value) - set(LANGUAGES))
        if extra:
            node.fail(f"unknown language key(s) {', '.join(map(str, extra))}; use only fi and en")
            ok = False
        return Text(node.value["fi"].strip(), node.value["en"].strip()) if ok else None

    def unknown_keys(self, allowed: set[str]) -> None:
        if isinstance(self.value, dict):
            extra = sorted(str(k) for k in set(self.value) - allowed)
            if extra:
                self.fail(f"unknown key(s) {', '.join(extra)}; allowed here: {', '.join(sorted(allowed))}")


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f'the text "{value[:40]}"'
    return f"{type(value).__name__} {value!r}"
