/* Draws every chart on the page: <div class="chart" data-figure-id="ID"> takes its figure
   (plotly JSON made by assess/charts.py) from <script type="application/json" id="ID">.
   Each chart has a table with the same figures beside it, so nothing is lost without JS. */
(function () {
  "use strict";

  /* A phone-wide chart: smaller type, and a radar sized to its circle (plotly's default
     450 px height leaves a small circle in a tall empty box) with its legend clear of the
     bottom label. */
  function fitNarrow(element, layout) {
    var width = element.clientWidth;
    if (!width || width >= 560) { return layout; }
    var fitted = Object.assign({}, layout);
    fitted.font = Object.assign({}, layout.font, { size: 12 });
    if (layout.polar) {
      var legend = layout.showlegend !== false;
      fitted.margin = { l: 90, r: 90, t: 30, b: 30 };
      fitted.height = width - 180 + 60 + (legend ? 70 : 0);
      if (legend) { fitted.legend = Object.assign({}, layout.legend, { y: -0.2 }); }
    } else if (layout.legend && layout.legend.orientation === "h" && typeof layout.legend.y === "number") {
      fitted.legend = Object.assign({}, layout.legend, { y: layout.legend.y * 1.5 });
    }
    return fitted;
  }

  function draw() {
    var Plotly = window.Plotly;
    if (!Plotly) { return; }
    var lang = document.documentElement.lang || "fi";
    var charts = document.querySelectorAll("div.chart[data-figure-id]");
    Array.prototype.forEach.call(charts, function (element) {
      var source = document.getElementById(element.getAttribute("data-figure-id"));
      if (!source) { return; }
      var figure;
      try {
        figure = JSON.parse(source.textContent);
      } catch (error) {
        return;
      }
      Plotly.newPlot(element, figure.data, fitNarrow(element, figure.layout || {}), {
        displaylogo: false,
        displayModeBar: false, // no toolbar: its buttons would be unlabeled focus stops
        responsive: true,
        locale: lang
      }).then(function () {
        element.classList.add("chart-drawn");
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
