/* The trend map: rate ratio between two rounds on the diverging scale around 1; significant
   changes outlined, suppressed areas hatched. */
"use strict";

(function () {
  const H = window.JeugdhulpMap;
  const config = JSON.parse(document.getElementById("trend-config").textContent);
  const mapElement = document.getElementById("map");
  const view = H.newMap(mapElement);
  const HATCH = H.hatch("#555555");
  const SIGNIFICANT = { stijging: "#7f3b08", daling: "#08306b" };
  const T = config.texts;

  fetch(config.geometry, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
    const layer = L.geoJSON(geo, {
      renderer: view.renderer,
      style: function (feature) {
        const t = config.trend[feature.id];
        const s = { color: "#6b6b6b", weight: 0.5, fillOpacity: 0.85 };
        if (!t || t[0] === "onvoldoende_gegevens" || t[1] === null) s.fillColor = HATCH;
        else s.fillColor = config.ratioColours[H.classOf(t[1], config.ratioBreaks)];
        if (t && SIGNIFICANT[t[0]]) { s.color = SIGNIFICANT[t[0]]; s.weight = 2.5; }
        return s;
      },
    }).addTo(view.map);
    layer.eachLayer(function (area) {  // significant changes outlined over their neighbours
      const t = config.trend[area.feature.id];
      if (t && SIGNIFICANT[t[0]]) area.bringToFront();
    });
    layer.bindTooltip(function (area) {
      const t = config.trend[area.feature.id];
      // A string would be set as HTML by Leaflet: the name goes in as text.
      return H.el("span", {}, [area.feature.properties.naam + ": " + T.trends[t ? t[0] : "onvoldoende_gegevens"]]);
    }, { sticky: true });
    view.map.fitBounds(layer.getBounds());
    const b = config.ratioBreaks;
    const num = function (x) { return Number(x).toLocaleString(document.documentElement.lang || "nl-BE"); };
    const items = config.ratioColours.map(function (c, k) {
      const text = k === 0 ? "≤ " + num(b[0]) : k === b.length ? "> " + num(b[k - 1]) : num(b[k - 1]) + " – " + num(b[k]);
      return H.legendItem("", c, text);
    });
    items.push(H.legendItem("swatch--hatch", null, T.hidden));
    items.push(H.legendItem("swatch--hotspot", null, T.outlineIncrease));
    items.push(H.legendItem("swatch--blue", null, T.outlineDecrease));
    document.getElementById("legend").replaceChildren(H.el("ul", {}, items));
    H.paintSwatches(document.getElementById("legend"));
    H.whenDrawn(mapElement);
  });
})();
