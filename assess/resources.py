"""Where the app's files are: in a checkout, or inside the installed package.

templates/, static/ and questionnaires/ stay at the top of the repository (the fixed
layout: content owners and designers find them there). A built wheel carries them as
package data, as assess/_templates, assess/_static and assess/_questionnaires (setup.py
copies them at build time), and the Finnish catalogue compiled at build time. An
installation therefore runs from any directory; a checkout (editable install, tests) reads
the repository's folders and compiles the catalogue outside the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
DATA_FOLDERS = ("templates", "static", "questionnaires")


def is_checkout() -> bool:
    """Whether the package runs from the repository (not from an installed wheel)."""
    return (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "templates").is_dir()


def data_dir(name: str) -> Path:
    """The folder ``name`` (one of DATA_FOLDERS): the repository's in a checkout, else the
    installed package's copy."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"no data folder {name!r}")
    if is_checkout():
        return CHECKOUT / name
    return Path(str(files("assess").joinpath(f"_{name}")))


def default_instance() -> Path:
    """instance/ of the checkout; for an installation, instance/ in the working directory
    (ASSESS_INSTANCE_PATH chooses another)."""
    return CHECKOUT / "instance" if is_checkout() else Path.cwd() / "instance"
