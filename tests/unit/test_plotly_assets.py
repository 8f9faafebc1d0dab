"""plotly.js's own CSS rebuilt from its bundle, so it can be served as a file under our CSP."""

from __future__ import annotations

import re
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest
from plotly.basedatatypes import BaseTraceType

from assess import plotly_assets

BUNDLE = (
    'var x=1;var rules={"X,X div":\'direction:ltr;font-family:"Open Sans";\',"X .crisp":"a:b;",'
    + ",".join(f'"X .c{n}":"n:{n};"' for n in range(10))
    + ',Y:\'position:fixed;\',"Y p":"margin:0;"};for(k in rules)add(k);'
    + '(function(){var e=document.createElement("style");e.id="'
    + "ab" * 32
    + "\",e.textContent='.maplibregl-map{font:12px}',document.head.appendChild(e)})();"
)


def test_rules_become_the_css_plotly_would_inject() -> None:
    css = plotly_assets.extract_css(BUNDLE)
    lines = css.splitlines()
    assert lines[0] == (
        '.js-plotly-plot .plotly,.js-plotly-plot .plotly div {direction:ltr;font-family:"Open Sans";}'
    )
    assert ".js-plotly-plot .plotly .crisp {a:b;}" in lines
    assert ".plotly-notifier {position:fixed;}" in lines
    assert lines[-1] == ".plotly-notifier p {margin:0;}"


def test_self_injected_stylesheets_are_found() -> None:
    assert plotly_assets.extract_injected(BUNDLE) == [("ab" * 32, ".maplibregl-map{font:12px}")]


def test_a_changed_bundle_is_reported() -> None:
    with pytest.raises(plotly_assets.BundleChanged):
        plotly_assets.extract_css("no rules here")
    with pytest.raises(plotly_assets.BundleChanged):
        plotly_assets.extract_css('{"X,X div":"a:b;",broken')


def test_the_installed_bundle_yields_its_css() -> None:
    css = plotly_assets.plotly_css()
    assert ".js-plotly-plot .plotly .modebar {" in css
    assert ".js-plotly-plot .plotly .main-svg {position:absolute;" in css
    for style_id in plotly_assets.injected_style_ids():
        assert style_id in css


# The full bundle the plotly package ships: plotly.py makes figures for this plotly.js.
PACKAGE_BUNDLE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
CHART_MODULES = ["charts.py", "history_charts.py", "benchmark_charts.py"]
REBUILD = "rebuild it: cd assess/vendor/plotly && npm ci && npm run build (README.md there)"


def _bundle() -> str:
    return plotly_assets.BUNDLE.read_text(encoding="utf-8")


def _registered(kind: str) -> set[str]:
    return set(re.findall(rf'moduleType:"{kind}",name:"(\w+)"', _bundle()))


def test_the_served_bundle_is_the_plotly_js_of_the_installed_plotly() -> None:
    served = plotly_assets.bundle_version(_bundle())
    shipped = plotly_assets.bundle_version(PACKAGE_BUNDLE.read_text(encoding="utf-8"))
    assert served == shipped, (
        f"assess/vendor/plotly.min.js is plotly.js {served}, the plotly "
        f"package draws with {shipped}: set plotly.js {shipped} in package.json and {REBUILD}"
    )


def test_the_served_bundle_draws_every_trace_type_the_charts_make() -> None:
    classes = [getattr(go, name) for name in go.__all__]
    trace_types = {
        cls.__name__.lower() for cls in classes if isinstance(cls, type) and issubclass(cls, BaseTraceType)
    }
    source = "\n".join(
        (Path(plotly_assets.__file__).parent / name).read_text(encoding="utf-8") for name in CHART_MODULES
    )
    made = {name.lower() for name in re.findall(r"\bgo\.([A-Z]\w*)\(", source)}
    made |= set(re.findall(r'"type": "(\w+)"', source))
    made &= trace_types
    assert {"bar", "heatmap", "scatter", "scatterpolar"} <= made  # the scan finds the charts
    missing = made - _registered("trace")
    assert not missing, f"the charts make {sorted(missing)}: add them to entry.js and {REBUILD}"


def test_the_served_bundle_speaks_finnish() -> None:
    # The note "Preparing image" while a chart is saved as PNG, for one.
    assert "fi" in _registered("locale")


def test_a_bundle_without_its_version_is_reported() -> None:
    with pytest.raises(plotly_assets.BundleChanged):
        plotly_assets.bundle_version("var Plotly={};")
