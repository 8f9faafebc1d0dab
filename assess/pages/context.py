"""The base of a big page's context object: a dataclass whose fields are the template's
variables, built by one function in assess/pages/ so that the route stays a few lines."""

from __future__ import annotations

from dataclasses import fields
from typing import Any


class PageContext:
    """Mixed into a dataclass: ``render_template(name, **page.context())``."""

    def context(self) -> dict[str, Any]:
        """The fields as the template's variables (a shallow copy: the values are shared)."""
        # fields() wants a dataclass; this class is only ever mixed into one.
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]
