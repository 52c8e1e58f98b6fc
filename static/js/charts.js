/* Draws the dashboards' charts: each `.chart-canvas[data-spec]` names a
   <script type="application/json"> holding a Vega-Lite specification built by core/charts.py.
   The page works without this script (every chart has its table); once a chart is drawn, its
   table folds away under "Table".

   The Content Security Policy allows no eval and no inline style, so Vega runs with its
   expression interpreter (ast: true) and vega-embed and vega-tooltip inject no stylesheet
   (their styles are in a4p.css). */
(function () {
  "use strict";
  if (typeof window.vegaEmbed !== "function") {
    return;
  }
  var options = {
    mode: "vega-lite",
    actions: false,
    renderer: "svg",
    ast: true,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-spec"));
    if (!source) {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    // The shared definitions name the Vega-Lite v5 schema, which this Vega-Lite 6 reads as
    // is; without the name it does not warn about the version on every chart.
    delete spec.$schema;
    window
      .vegaEmbed(canvas, spec, options)
      .then(function () {
        var figure = canvas.closest(".chart");
        if (!figure) {
          return;
        }
        figure.classList.add("chart-drawn");
        var table = figure.querySelector("details.chart-table");
        if (table) {
          table.open = false;
        }
      })
      .catch(function (error) {
        canvas.classList.add("chart-failed");
        if (window.console) {
          window.console.error("chart not drawn", error);
        }
      });
  }

  function start() {
    var canvases = document.querySelectorAll(".chart-canvas[data-spec]");
    for (var i = 0; i < canvases.length; i += 1) {
      draw(canvases[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
