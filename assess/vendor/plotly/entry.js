// plotly.js for Hankintapolku: the core and only the trace types the app's charts use
// (assess/charts.py, history_charts.py, benchmark_charts.py), with the Finnish locale.
// A chart that needs another trace type adds it here and rebuilds (README.md beside this).
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/scatterpolar'),
    require('plotly.js/lib/locales/fi'),
]);

module.exports = Plotly;
