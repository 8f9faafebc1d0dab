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
    } else if (layout.grid) {
      /* Small multiples: one panel a row, each as tall as on a wide screen. */
      var panels = layout.grid.rows * layout.grid.columns;
      fitted.grid = Object.assign({}, layout.grid, { rows: panels, columns: 1, ygap: 0.3 });
      fitted.height = layout.height + (panels - layout.grid.rows) * (layout.height - 110) / layout.grid.rows;
      fitted.font = layout.font;  // stays projector-sized: one panel has the whole width
      fitted.margin = Object.assign({}, layout.margin, { t: layout.margin.t + 30 }); // legend on two rows
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
        // Only plotly's own "save as PNG" (for management slides): no zoom or pan clutter.
        displayModeBar: true,
        modeBarButtons: [["toImage"]],
        toImageButtonOptions: {
          format: "png",
          filename: element.getAttribute("data-filename") || "chart",
          scale: 2
        },
        responsive: true,
        locale: lang
      }).then(function () {
        labelSaveButton(element);
        element.classList.add("chart-drawn");
      });
    });
  }

  /* Once drawn, the chart holds a button, and an image (role "img") may hold no control:
     the chart becomes a labelled group, its drawing is hidden from assistive technology
     (the table beside it has the same figures), and plotly's button, an <a> without href
     or name, becomes a named, focusable button in the page's language (Enter and Space). */
  function labelSaveButton(element) {
    element.setAttribute("role", "group");
    Array.prototype.forEach.call(element.querySelectorAll("svg.main-svg"), function (svg) {
      svg.setAttribute("aria-hidden", "true");
    });
    var label = element.getAttribute("data-save-label");
    var buttons = element.querySelectorAll(".modebar-btn");
    Array.prototype.forEach.call(buttons, function (button) {
      button.setAttribute("role", "button");
      button.setAttribute("tabindex", "0");
      if (label) {
        button.setAttribute("aria-label", label);
        button.setAttribute("data-title", label);
      }
      button.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          button.click();
        }
      });
    });
  }

  /* A chart inside a closed <details> was drawn without a width: fit it when opened. */
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.open || !window.Plotly) { return; }
    Array.prototype.forEach.call(details.querySelectorAll("div.chart.chart-drawn"), function (chart) {
      window.Plotly.Plots.resize(chart);
    });
  }, true);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
