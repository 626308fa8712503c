/* Shared map helpers of the results pages: an SVG hatch pattern for suppressed areas, class
   breaks and number formatting. No dependencies besides Leaflet (served by the app). */
"use strict";

window.JeugdhulpMap = (function () {
  const SVG_NS = "http://www.w3.org/2000/svg";

  function addHatch(map, renderer, colour) {
    // Leaflet's SVG renderer draws into one <svg>; a <pattern> there can fill any path.
    const svg = renderer._container;
    if (!svg || svg.querySelector("#te-weinig-gegevens")) return;
    const defs = document.createElementNS(SVG_NS, "defs");
    const pattern = document.createElementNS(SVG_NS, "pattern");
    pattern.setAttribute("id", "te-weinig-gegevens");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "6");
    pattern.setAttribute("height", "6");
    const back = document.createElementNS(SVG_NS, "rect");
    back.setAttribute("width", "6");
    back.setAttribute("height", "6");
    back.setAttribute("fill", "#ffffff");
    const line = document.createElementNS(SVG_NS, "path");
    line.setAttribute("d", "M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5");
    line.setAttribute("stroke", colour);
    line.setAttribute("stroke-width", "1.2");
    pattern.appendChild(back);
    pattern.appendChild(line);
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  function newMap(element) {
    const renderer = L.svg({ padding: 0.2 });
    const map = L.map(element, { renderer: renderer, zoomSnap: 0.25, attributionControl: false });
    return { map: map, renderer: renderer };
  }

  function quantileBreaks(values, classes, decimals) {
    // As jeugdhulp.results.indicators.class_breaks: quantiles k/classes, linear interpolation.
    const sorted = values.filter(function (v) { return v !== null && isFinite(v); })
      .sort(function (a, b) { return a - b; });
    if (!sorted.length) return [];
    const out = [];
    const factor = Math.pow(10, decimals + 2);
    for (let k = 1; k < classes; k++) {
      const pos = (sorted.length - 1) * k / classes;
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      const q = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
      const rounded = Math.round(q * factor) / factor;
      if (out.indexOf(rounded) < 0) out.push(rounded);
    }
    return out;
  }

  function classOf(value, breaks) {
    let k = 0;
    while (k < breaks.length && value > breaks[k]) k++;
    return k;
  }

  function pick(colours, n) {
    const out = [];
    for (let i = 0; i < n; i++) {
      out.push(colours[Math.round(i * (colours.length - 1) / Math.max(n - 1, 1))]);
    }
    return out;
  }

  function format(value, decimals, percent) {
    if (value === null || value === undefined || !isFinite(value)) return null;
    const shown = percent ? value * 100 : value;
    return shown.toLocaleString(document.documentElement.lang || "nl-BE", {
      minimumFractionDigits: decimals, maximumFractionDigits: decimals,
    }) + (percent ? "%" : "");
  }

  function paintSwatches(root) {
    // Colours through the CSSOM: the Content-Security-Policy forbids inline style attributes.
    root.querySelectorAll("[data-colour]").forEach(function (el) {
      el.style.background = el.getAttribute("data-colour");
    });
  }

  return { addHatch: addHatch, paintSwatches: paintSwatches, newMap: newMap, quantileBreaks: quantileBreaks,
           classOf: classOf, pick: pick, format: format };
})();
