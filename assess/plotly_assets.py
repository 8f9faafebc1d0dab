"""plotly.js as the app serves it: the partial bundle in assess/vendor/, and its CSS.

The bundle is plotly.js with only the trace types the charts draw (bar, heatmap, scatter,
scatterpolar) and the Finnish locale, built by assess/vendor/plotly/ (see the README there).
It is a quarter of the full plotly.min.js, and a chart page opened in a fresh browser runs a
fifth of the script before its first chart shows. It is the plotly.js version that the
installed plotly package (which makes the figures) ships; tests/unit/test_plotly_assets.py
holds the two together.

Our Content-Security-Policy allows no inline styles (style-src 'self'). plotly.js normally
injects its base CSS into a <style> element it creates on load, which such a policy blocks.
Since plotly.js 3 (plotly/plotly.js#7109) it skips the injection when the page already has
an element with id "plotly.js-style-global" and class "no-inline-styles": the page then
links the same rules as a stylesheet file. plotly.js does not ship that file, so it is
rebuilt here from the rules inside the bundle itself: the served CSS always matches the
served plotly.js, also after a rebuild.

A bundle may also carry stylesheets of its dependencies (the full one has MapLibre's, for
map traces) that it injects on load as <style id="<hash>"> unless an element with that id
exists. Their text goes into the same file, and the page holds a placeholder element with
each id (see ``injected_style_ids``). Pure apart from reading the bundle.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

BUNDLE = Path(__file__).resolve().parent / "vendor" / "plotly.min.js"
# The bundle's first line names its plotly.js version (assess/vendor/plotly/build.mjs).
_VERSION = re.compile(r"plotly\.js v(\d+\.\d+\.\d+)")

# The rules object in the bundle starts with this selector; X stands for the plot container
# and Y for the notifier, replaced as plotly.js does before injecting.
_FIRST_RULE = '"X,X div"'
_STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''
_PAIR = re.compile(rf"\s*({_STRING}|[A-Za-z_$][\w$]*)\s*:\s*({_STRING})\s*(,|}})")
# A dependency's self-injecting stylesheet: e.id="<hash>",e.textContent='<css>'.
_INJECTED = re.compile(rf'\.id="([0-9a-f]{{16,64}})",\w+\.textContent=({_STRING})')


class BundleChanged(RuntimeError):
    """The plotly.js bundle is not laid out as expected: no version, or no CSS rules found."""


def bundle_version(bundle: str) -> str:
    """The plotly.js version a bundle names in its first comment."""
    match = _VERSION.search(bundle[:300])
    if match is None:
        raise BundleChanged("the plotly.js bundle does not name its version in its first line")
    return match.group(1)


def _unquote(token: str) -> str:
    if token[0] in "\"'":
        return token[1:-1].replace("\\" + token[0], token[0]).replace("\\\\", "\\")
    return token


def extract_css(bundle: str) -> str:
    """The stylesheet plotly.js would inject, rebuilt from the rules object in ``bundle``."""
    start = bundle.find(_FIRST_RULE)
    if start < 0:
        raise BundleChanged("plotly.js base CSS rules not found in the bundle")
    rules: list[str] = []
    position = start
    while True:
        match = _PAIR.match(bundle, position)
        if match is None:
            raise BundleChanged(f"unexpected text in plotly.js CSS rules at {position}")
        selector = _unquote(match.group(1))
        # As in plotly.js build/plotcss.js: X is the plot, Y the notifier.
        selector = selector.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        rules.append(f"{selector} {{{_unquote(match.group(2))}}}")
        position = match.end()
        if match.group(3) == "}":
            break
    if len(rules) < 10:
        raise BundleChanged("too few plotly.js CSS rules found")
    return "\n".join(rules) + "\n"


def extract_injected(bundle: str) -> list[tuple[str, str]]:
    """The (id, css) of every stylesheet the bundle injects by itself on load."""
    return [(m.group(1), _unquote(m.group(2))) for m in _INJECTED.finditer(bundle)]


@lru_cache(maxsize=1)
def _bundle() -> str:
    return BUNDLE.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def plotly_css() -> str:
    """The CSS for the installed plotly.js, with a header saying where it comes from."""
    bundle = _bundle()
    parts = [
        f"/* plotly.js base styles (plotly.js {bundle_version(bundle)}), served as a file for CSP */",
        extract_css(bundle),
    ]
    for style_id, css in extract_injected(bundle):
        parts.append(f"/* stylesheet {style_id} that plotly.js would inject */\n{css}\n")
    return "\n".join(parts)


@lru_cache(maxsize=1)
def injected_style_ids() -> tuple[str, ...]:
    """Ids the page must already hold so that plotly.js injects no <style> of its own."""
    return tuple(style_id for style_id, _css in extract_injected(_bundle()))
