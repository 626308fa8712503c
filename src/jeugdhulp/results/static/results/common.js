/* Shared map helpers of the results pages: a canvas map, the hatch pattern for suppressed
   areas, class breaks and number formatting. No dependencies besides Leaflet (served by the
   app). */
"use strict";

window.JeugdhulpMap = (function () {
  function hatch(colour) {
    // A canvas pattern fills a polygon on Leaflet's canvas as an SVG <pattern> would: white
    // with diagonal lines, 6 px apart.
    const tile = document.createElement("canvas");
    tile.width = 6;
    tile.height = 6;
    const ctx = tile.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, 6, 6);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    [[0, 6, 6, 0], [-1, 1, 1, -1], [5, 7, 7, 5]].forEach(function (l) {
      ctx.moveTo(l[0], l[1]);
      ctx.lineTo(l[2], l[3]);
    });
    ctx.stroke();
    return ctx.createPattern(tile, "repeat");
  }

  function newMap(element) {
    // Every area on one <canvas>: 10,000 SVG paths (a DOM node and listeners each) took
    // seconds to build and lay out. Leaflet finds the area under the pointer itself.
    const renderer = L.canvas({ padding: 0.2 });
    const map = L.map(element, { renderer: renderer, preferCanvas: true, zoomSnap: 0.25,
                                 attributionControl: false });
    return { map: map, renderer: renderer };
  }

  function whenDrawn(element) {
    // Leaflet's canvas draws in the next animation frame; then the map is ready (the
    // performance mark is measured by benchmarks/bench_map.py, the attribute by the tests).
    requestAnimationFrame(function () {
      if (!performance.getEntriesByName("map-ready").length) performance.mark("map-ready");
      element.setAttribute("data-ready", "1");
    });
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

  function el(tag, attributes, children) {
    // An element built from the DOM, never from HTML text: names and labels from the data are
    // text nodes, so "<img onerror=...>" in a round's or an area's name stays text.
    const node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.append(child instanceof Node ? child : String(child));
    });
    return node;
  }

  function legendItem(swatchClass, colour, text) {
    const swatch = el("span", { class: "swatch" + (swatchClass ? " " + swatchClass : "") });
    if (colour) swatch.setAttribute("data-colour", colour);
    return el("li", {}, [swatch, text]);
  }

  return { el: el, legendItem: legendItem, hatch: hatch, whenDrawn: whenDrawn, paintSwatches: paintSwatches, newMap: newMap, quantileBreaks: quantileBreaks,
           classOf: classOf, pick: pick, format: format };
})();
