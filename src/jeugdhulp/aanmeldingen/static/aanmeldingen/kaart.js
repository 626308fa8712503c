/* The network dashboard's map: requests per 1,000 youth per municipality (dashboard/kaart.json).
   Five classes at quantiles of the shown values, ColorBrewer "Blues" (colour-blind safe);
   hidden counts are grey with a dashed outline. No tiles: the outlines are the map. */
(function () {
  "use strict";
  var element = document.getElementById("kaart");
  if (!element || !window.L) { return; }
  var labels = element.dataset;
  var COLOURS = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
  var HIDDEN = "#bdbdbd";
  var UNKNOWN = "#ffffff";

  function breaks(values) {
    if (!values.length) { return []; }
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var cuts = [];
    for (var k = 1; k < COLOURS.length; k++) {
      var cut = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / COLOURS.length))];
      // A cut at the minimum would make an empty first class.
      if (cut > sorted[0] && cuts.indexOf(cut) < 0) { cuts.push(cut); }
    }
    return cuts;
  }

  function classOf(value, cuts) {
    var k = 0;
    while (k < cuts.length && value >= cuts[k]) { k++; }
    return Math.min(k, COLOURS.length - 1);
  }

  function number(value) {
    return value.toLocaleString("nl-BE", { maximumFractionDigits: 1 });
  }

  function describe(p) {
    if (p.te_weinig) { return p.naam + ": " + labels.labelHidden; }
    var rate = p.per_1000 === null ? labels.labelNoPopulation : number(p.per_1000) + " " + labels.labelRate;
    return p.naam + ": " + p.aantal + " " + labels.labelCount + ", " + rate;
  }

  function legend(cuts, shown, unknown) {
    var box = document.getElementById("kaart-legende");
    var list = document.createElement("ul");
    function item(swatchClass, colour, text) {
      var li = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch" + (swatchClass ? " " + swatchClass : "");
      if (colour) { swatch.setAttribute("data-colour", colour); }
      li.append(swatch, text);
      list.append(li);
    }
    var bounds = shown.length ? [Math.min.apply(null, shown)].concat(cuts) : [];
    for (var k = 0; k < bounds.length; k++) {
      var text = k + 1 < bounds.length ? number(bounds[k]) + " – " + number(bounds[k + 1]) : "≥ " + number(bounds[k]);
      item("", COLOURS[classOf(bounds[k], cuts)], text);
    }
    item("swatch--hidden", null, labels.labelHidden);
    if (unknown) {
      item("", UNKNOWN, labels.labelNoPopulation);
    }
    box.replaceChildren(list);
    // Colours through the CSSOM: the Content-Security-Policy forbids inline style attributes.
    box.querySelectorAll("[data-colour]").forEach(function (swatch) {
      swatch.style.background = swatch.getAttribute("data-colour");
    });
  }

  fetch(element.dataset.url, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var shown = data.features
        .map(function (f) { return f.properties.per_1000; })
        .filter(function (v) { return v !== null; });
      var cuts = breaks(shown);
      var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
      var layer = L.geoJSON(data, {
        style: function (feature) {
          var p = feature.properties;
          var fill = p.te_weinig ? HIDDEN : p.per_1000 === null ? UNKNOWN : COLOURS[classOf(p.per_1000, cuts)];
          return { color: "#444", weight: 1, dashArray: p.te_weinig ? "4 3" : null, fillOpacity: 0.85, fillColor: fill };
        },
        onEachFeature: function (feature, area) {
          // A string would be set as HTML by Leaflet: the municipality's name goes in as text.
          var tip = document.createElement("span");
          tip.textContent = describe(feature.properties);
          area.bindTooltip(tip);
        }
      }).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds()); } else { map.setView([51, 4.5], 8); }
      var unknown = data.features.some(function (f) {
        return !f.properties.te_weinig && f.properties.per_1000 === null;
      });
      legend(cuts, shown, unknown);
      element.dataset.areas = String(data.features.length);
    });
})();
