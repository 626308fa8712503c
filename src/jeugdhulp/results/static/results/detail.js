/* The run page: poll the status while the analysis runs, then draw the charts with the
   bundled plotly.js. */
"use strict";

(function () {
  const box = document.getElementById("run-status");
  if (box && box.getAttribute("data-finished") !== "1") {
    const poll = function () {
      fetch(box.getAttribute("data-url"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          const bar = box.querySelector(".js-progress");
          const step = box.querySelector(".js-step");
          if (bar) { bar.value = s.voortgang; bar.textContent = s.voortgang + "%"; }
          if (step) step.textContent = s.status_label + (s.stap ? ": " + s.stap : "");
          if (s.klaar) window.location.reload();
          else window.setTimeout(poll, 1500);
        });
    };
    window.setTimeout(poll, 1000);
  }
  const source = document.getElementById("chart-data");
  if (!source || !window.Plotly) return;
  const charts = JSON.parse(source.textContent);
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    const spec = charts[element.getAttribute("data-chart")];
    if (!spec) return;
    const layout = Object.assign({ height: 320, margin: { t: 48, r: 10, b: 40, l: 50 },
      font: { family: "system-ui, sans-serif", size: 12 } }, spec.layout);
    window.Plotly.newPlot(element, spec.data, layout, { displaylogo: false, responsive: true,
      modeBarButtonsToRemove: ["toImage"] });
  });
})();
