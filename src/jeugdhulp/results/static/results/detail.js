/* The run page: poll the status while the analysis runs (the charts are SVG from the
   server: see jeugdhulp.results.charts). */
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
})();
