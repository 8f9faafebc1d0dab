"""The benchmark's profile classes (questionnaires/benchmark.yaml): organisation types, size
bands and regions, loaded and validated like the other content files.

They are not part of the content version: changing a band's wording alters no assessment.
Ids are stored with every profile and in pooled benchmark files, so they never change.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

from .loader import _read as read_yaml
from .model import Text
from .reader import Node, Problems

FILE_NAME = "benchmark.yaml"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Choice:
    """One class: its id and its name in both languages."""

    id: str
    title: Text


@dataclass(frozen=True)
class OrgType(Choice):
    size_by: str
    """The size measure (a SizeMeasure id) whose bands size an organisation of this type."""


@dataclass(frozen=True)
class SizeMeasure:
    id: str
    title: Text
    bands: tuple[Choice, ...]


@dataclass(frozen=True)
class ProfileClasses:
    version: int
    types: tuple[OrgType, ...]
    measures: tuple[SizeMeasure, ...]
    regions: tuple[Choice, ...]

    def type(self, type_id: str | None) -> OrgType | None:
        return next((t for t in self.types if t.id == type_id), None)

    def measure(self, measure_id: str) -> SizeMeasure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    def size(self, band_id: str | None) -> Choice | None:
        return next((b for m in self.measures for b in m.bands if b.id == band_id), None)

    def region(self, region_id: str | None) -> Choice | None:
        return next((r for r in self.regions if r.id == region_id), None)

    def sizes_for(self, type_id: str | None) -> tuple[Choice, ...]:
        """The size bands an organisation of this type chooses from (none for no type)."""
        org_type = self.type(type_id)
        measure = self.measure(org_type.size_by) if org_type else None
        return measure.bands if measure else ()

    def fits(self, type_id: str | None, size_id: str | None, region_id: str | None) -> bool:
        """Whether a profile is made of known ids, with a size band of the type's measure."""
        if type_id is not None and self.type(type_id) is None:
            return False
        if size_id is not None and size_id not in {b.id for b in self.sizes_for(type_id)}:
            return False
        return region_id is None or self.region(region_id) is not None


def _choice(node: Node, seen: set[str], extra: AbstractSet[str] = frozenset()) -> tuple[str, Text] | None:
    if not node.is_a(dict):
        return None
    node.unknown_keys({"id", "title", *extra})
    ident, title = node.string("id"), node.text("title")
    if ident is not None and not _ID.match(ident):
        node.fail(f'the id "{ident}" may hold only a-z, 0-9 and single hyphens')
        return None
    if ident in seen:
        node.fail(f'the id "{ident}" is used twice; every id in this file must be unique')
        return None
    if ident is None or title is None:
        return None
    seen.add(ident)
    return ident, title


def _list(root: Node, key: str) -> list[Node]:
    node = root.get(key, list)
    if node is not None and not node.value:
        node.fail(f'"{key}" is empty; list at least one')
    return node.children() if node else []


def parse(root: Node) -> ProfileClasses | None:
    """Validate the file's data; every problem goes to root's Problems (None when any)."""
    before = len(root.problems.items)
    if not root.is_a(dict):
        return None
    root.unknown_keys({"version", "types", "size_measures", "regions"})
    version_node = root.get("version", int)
    if version_node is not None and version_node.value < 1:
        version_node.fail("must be a whole number 1 or larger")
    seen: set[str] = set()
    measures = []
    for mn in _list(root, "size_measures"):
        found = _choice(mn, seen, {"bands"})
        bands = [b for b in (_choice(bn, seen) for bn in _list(mn, "bands")) if b]
        if found:
            measures.append(SizeMeasure(found[0], found[1], tuple(Choice(*b) for b in bands)))
    measure_ids = {m.id for m in measures}
    types = []
    for tn in _list(root, "types"):
        found = _choice(tn, seen, {"size_by"})
        size_by = tn.string("size_by") if isinstance(tn.value, dict) else None
        if size_by is not None and size_by not in measure_ids:
            tn.fail(
                f'size_by "{size_by}" is not a size measure of this file; use one of '
                f"{', '.join(sorted(measure_ids)) or 'the ids under size_measures'}"
            )
        elif found and size_by:
            types.append(OrgType(found[0], found[1], size_by))
    regions = [Choice(*r) for r in (_choice(rn, seen) for rn in _list(root, "regions")) if r]
    if len(root.problems.items) != before or version_node is None:
        return None
    return ProfileClasses(version_node.value, tuple(types), tuple(measures), tuple(regions))


def load_profile_classes(folder: Path) -> ProfileClasses | None:
    """Read folder/benchmark.yaml; raise ContentError naming file, place and fix."""
    problems = Problems()
    path = Path(folder) / FILE_NAME
    value = read_yaml(path, problems)
    classes = parse(Node(problems, str(path), value)) if not problems.items else None
    problems.raise_if_any()
    return classes
