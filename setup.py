"""The build step pyproject.toml cannot say: the app's folders and compiled catalogue go into the wheel.

templates/, static/ and questionnaires/ stay at the top of the repository; a built wheel carries
them as assess/_templates, assess/_static and assess/_questionnaires (assess/resources.py finds
them), and the Finnish catalogue compiled from its .po parts. An editable install reads the
repository itself, so nothing is copied for it.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        package = Path(self.build_lib) / "assess"
        for name in ("templates", "static", "questionnaires"):
            target = package / f"_{name}"
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(HERE / name, target, ignore=shutil.ignore_patterns("*.gz", "__pycache__"))
        # assess/catalogues.py by its path: importing the package would need Flask at build time.
        spec = importlib.util.spec_from_file_location("catalogues", HERE / "assess" / "catalogues.py")
        assert spec and spec.loader
        catalogues = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(catalogues)
        catalogues.compile_catalogues(HERE / "assess" / "translations", package / "translations")


setup(cmdclass={"build_py": BuildWithData})
