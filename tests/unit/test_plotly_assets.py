"""plotly.js's own CSS rebuilt from its bundle, so it can be served as a file under our CSP."""

from __future__ import annotations

import pytest

from assess import plotly_assets

BUNDLE = (
    'var x=1;var rules={"X,X div":\'direction:ltr;font-family:"Open Sans";\',"X .crisp":"a:b;",'
    + ",".join(f'"X .c{n}":"n:{n};"' for n in range(10))
    + ',Y:\'position:fixed;\',"Y p":"margin:0;"};for(k in rules)add(k);'
    + '(function(){var e=document.createElement("style");e.id="' + "ab" * 32
    + '",e.textContent=\'.maplibregl-map{font:12px}\',document.head.appendChild(e)})();'
)


def test_rules_become_the_css_plotly_would_inject() -> None:
    css = plotly_assets.extract_css(BUNDLE)
    lines = css.splitlines()
    assert lines[0] == ('.js-plotly-plot .plotly,.js-plotly-plot .plotly div '
                        '{direction:ltr;font-family:"Open Sans";}')
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
