"""The package installs: a wheel built from the repository, installed (not editable) into a fresh
environment, runs from another directory with its templates, static files, content and the
Finnish catalogue."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from assess import ROOT

PAGE_CHECK = """
import assess, sys
from assess import create_app
app = create_app()
client = app.test_client()
page = client.get("/setup")
css = client.get("/static/css/app.css")
from assess.plotly_assets import BUNDLE, plotly_css
print(assess.__file__)
print(page.status_code, css.status_code, BUNDLE.is_relative_to(assess.__path__[0]) and
      BUNDLE.read_bytes()[:14] == b"/* plotly.js v" and ".js-plotly-plot" in plotly_css())
print("Tervetuloa Hankintapolkuun" in page.get_data(as_text=True))
print(app.extensions["content"].version != "")
"""


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args[:3]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


@pytest.mark.long
@pytest.mark.slow
def test_a_built_wheel_runs_from_another_directory(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheels)], tmp_path)
    (wheel,) = wheels.glob("hankintapolku-*.whl")
    venv = tmp_path / "venv"
    # No pip of its own (ensurepip would cost seconds): this environment's pip installs into it.
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path
        ).strip()
    )
    # The dependencies come from this environment's site-packages (no downloads); its editable
    # hankintapolku does not, since .pth files inside a path added this way are not read.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        tmp_path,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "ASSESS_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("ASSESS_CONTENT_DIR", None)
    help_text = _run([str(venv / "bin" / "assess"), "--help"], elsewhere, env)
    for command in ("serve", "check", "demo", "export", "import", "backup", "purge", "run"):
        assert f"  {command} " in help_text
    assert "OK" in _run([str(venv / "bin" / "assess"), "check"], elsewhere, env)
    where, statuses, finnish, content = _run([str(python), "-c", PAGE_CHECK], elsewhere, env).split("\n")[:4]
    assert where.startswith(str(site)), where
    assert statuses == "200 200 True"  # and plotly.js, from assess/vendor/ in the package
    assert finnish == "True" and content == "True"
    # Nothing was compiled into the installed package at run time.
    assert not any((site / "assess").rglob("*.tmp"))
