/* Draws every chart on the page: <div class="chart" data-figure-id="ID"> takes its figure
   (plotly JSON made by assess/charts.py) from <script type="application/json" id="ID">.
   Each chart has a table with the same figures beside it, so nothing is lost without JS. */
(function () {
  "use strict";

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
      Plotly.newPlot(element, figure.data, figure.layout, {
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
