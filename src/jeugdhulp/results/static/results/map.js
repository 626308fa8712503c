/* The choropleth of a run: indicator and form selectors, legend, hatched suppressed areas,
   outlined hotspots and blue zones, a detail panel and a keyboard-usable list of areas. */
"use strict";

(function () {
  const H = window.JeugdhulpMap;
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const T = config.texts;
  const HIDDEN_TEXT = T.hidden;
  const OUTLINE = { hotspot: "#7f3b08", blauwe_zone: "#08306b" };
  const indicatorSelect = document.getElementById("indicator");
  const formSelect = document.getElementById("hulpvorm");
  const legend = document.getElementById("legend");
  const detail = document.getElementById("detail");
  const listBody = document.getElementById("area-rows");
  const filter = document.getElementById("area-filter");
  const mapElement = document.getElementById("map");
  const note = document.getElementById("indicator-note");
  const view = H.newMap(mapElement);
  const HATCH = H.hatch("#555555");
  let layer = null;
  let data = null;
  let column = {};
  let selected = null;
  const byCode = {};
  let sortedCodes = [];  // by name, once: a collator sort of 10,000 names is not free
  const layers = {};  // area code → its polygon on the map

  function indicator() {
    return config.indicators.find(function (i) { return i.key === indicatorSelect.value; });
  }

  function value(code, name) {
    const row = data.rows[code];
    return row ? row[column[name]] : null;
  }

  function offered(ind) {
    return ind.allForms || formSelect.value !== "ALLE";
  }

  function syncIndicators() {
    // ALLE has no accessibility nor unmet need (capacities of different forms do not add up):
    // those options are disabled for it, with the reason, rather than a map of hatching.
    let switched = false;
    Array.prototype.forEach.call(indicatorSelect.options, function (option) {
      const ind = config.indicators.find(function (i) { return i.key === option.value; });
      const available = offered(ind);
      option.disabled = !available;
      option.textContent = available ? ind.label : ind.label + " (" + T.perForm + ")";
      if (!available && option.selected) switched = true;
    });
    if (switched) indicatorSelect.value = config.indicators[0].key;
    const hidden = config.indicators.filter(function (i) { return !offered(i); });
    note.hidden = !hidden.length;
    note.textContent = hidden.length ? T.perFormNote : "";
  }

  function scale(ind) {
    if (ind.scale === "categorical") {
      const colours = {};
      ind.categories.forEach(function (c) { colours[c.value] = c.colour; });
      return { colourOf: function (v) { return colours[v] || config.hidden; },
               items: ind.categories.map(function (c) { return [c.colour, c.label]; }) };
    }
    let breaks, colours;
    const known = Object.keys(data.rows).some(function (c) {
      const v = value(c, ind.column);
      return v !== null && v !== undefined;
    });
    if (!known) {
      // Nothing to class: no colour items, the hatching says why.
      return { colourOf: function () { return config.hidden; }, items: [], empty: true };
    }
    if (ind.scale === "diverging") {
      breaks = config.ratioBreaks;
      colours = config.ratioColours;
    } else {
      const values = Object.keys(data.rows).map(function (c) { return value(c, ind.column); });
      breaks = H.quantileBreaks(values, 7, ind.decimals);
      colours = H.pick(config.sequential, breaks.length + 1);
    }
    const fmt = function (v) { return H.format(v, ind.percent ? ind.decimals : 2, ind.percent); };
    const items = colours.map(function (colour, k) {
      let label;
      if (!breaks.length) label = T.allValues;
      else if (k === 0) label = "≤ " + fmt(breaks[0]);
      else if (k === breaks.length) label = "> " + fmt(breaks[k - 1]);
      else label = fmt(breaks[k - 1]) + " – " + fmt(breaks[k]);
      return [colour, label];
    });
    return { colourOf: function (v) { return colours[H.classOf(v, breaks)]; }, items: items };
  }

  function categoryLabel(ind, v) {
    const cat = ind.categories.find(function (c) { return c.value === v; });
    return cat ? cat.label : HIDDEN_TEXT;
  }

  function hidden(code, ind) {
    const v = value(code, ind.column);
    return v === null || v === undefined || value(code, "onvoldoende_gegevens") === true;
  }

  function style(feature, ind, s) {
    const code = feature.id;
    const cluster = value(code, "cluster");
    const base = { color: "#6b6b6b", weight: 0.5, fillOpacity: 0.85 };
    if (OUTLINE[cluster]) { base.color = OUTLINE[cluster]; base.weight = 2.5; }
    if (code === selected) { base.color = "#000"; base.weight = 3; }
    if (!data.rows[code] || hidden(code, ind)) {
      base.fillColor = HATCH;
    } else {
      base.fillColor = s.colourOf(value(code, ind.column));
    }
    return base;
  }

  function drawLegend(ind, s) {
    const items = s.items.map(function (item) { return H.legendItem("", item[0], item[1]); });
    items.push(H.legendItem("swatch--hatch", null, s.empty ? T.notComputed : HIDDEN_TEXT));
    items.push(H.legendItem("swatch--hotspot", null, T.outlineHotspot));
    items.push(H.legendItem("swatch--blue", null, T.outlineBlue));
    const title = H.el("h2", {}, [ind.label]);
    if (ind.unit) title.append(" ", H.el("span", { class: "muted" }, ["(" + ind.unit + ")"]));
    legend.replaceChildren(title, H.el("ul", {}, items));
    if (s.empty) legend.append(H.el("p", { class: "muted" }, [T.notComputedNote]));
    H.paintSwatches(legend);
  }

  function redraw() {
    if (!layer || !data) return;
    const ind = indicator();
    const s = scale(ind);
    layer.setStyle(function (f) { return style(f, ind, s); });
    // Outlines over their neighbours: hotspots and blue zones, then the selected area.
    layer.eachLayer(function (area) { if (OUTLINE[value(area.feature.id, "cluster")]) area.bringToFront(); });
    if (selected && layers[selected]) layers[selected].bringToFront();
    drawLegend(ind, s);
    drawList(ind);
  }

  function show(code) {
    const ind = indicator();
    const row = data.rows[code];
    const name = row ? row[column.gebied_naam] : code;
    const title = H.el("h2", {}, [name, " ", H.el("span", { class: "muted" }, ["(" + code + ")"])]);
    if (!row) {
      detail.replaceChildren(title, H.el("p", {}, [HIDDEN_TEXT]));
      return;
    }
    const list = H.el("dl");
    const count = value(code, "aantal_clienten");
    list.append(H.el("dt", {}, [T.children]), H.el("dd", {}, [count === null ? HIDDEN_TEXT : H.format(count, 0)]));
    list.append(H.el("dt", {}, [T.inhabitants]), H.el("dd", {}, [H.format(value(code, "inwoners"), 0) || "—"]));
    config.indicators.forEach(function (i) {
      let v = value(code, i.column);
      let text;
      if (i.scale === "categorical") {
        text = categoryLabel(i, v);
      } else if (!offered(i)) {
        text = T.perForm;
      } else {
        text = H.format(v, i.decimals, i.percent);
        if (text === null) text = HIDDEN_TEXT;
        else if (i.interval) {
          const lo = H.format(value(code, i.interval[0]), i.decimals);
          const hi = H.format(value(code, i.interval[1]), i.decimals);
          if (lo && hi) text += " (95%: " + lo + " – " + hi + ")";
        }
        if (i.unit && !i.percent && text !== HIDDEN_TEXT) text += " " + i.unit;
      }
      list.append(H.el("dt", i.key === ind.key ? { class: "current" } : {}, [i.label]), H.el("dd", {}, [text]));
    });
    const trendBox = H.el("div", { class: "js-trend muted table-scroll" }, ["…"]);
    detail.replaceChildren(title, list, comparison(code), H.el("h3", {}, [T.trend]), trendBox);
    // Other parts of the panel (duiding.js) add their own section for this area and form.
    detail.dispatchEvent(new CustomEvent("jeugdhulp:area", { detail: { code: code, form: formSelect.value } }));
    const url = data.trend_url + "?gebied=" + encodeURIComponent(code) + "&hulpvorm=" + encodeURIComponent(formSelect.value);
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (t) {
      if (!trendBox.isConnected) return;
      if (t.punten.length < 2) { trendBox.textContent = T.noEarlier; return; }
      const head = H.el("tr", {}, [H.el("th", {}, [T.round]), H.el("th", { class: "num" }, [T.reach]),
                                   H.el("th", { class: "num" }, [T.smoothed])]);
      const rows = t.punten.map(function (p) {
        return H.el("tr", {}, [
          H.el("td", {}, [p.ronde]),
          H.el("td", { class: "num" }, [H.format(p.bereik, 1) || HIDDEN_TEXT]),
          H.el("td", { class: "num" }, [H.format(p.ratio_eb, 2) || HIDDEN_TEXT]),
        ]);
      });
      trendBox.replaceChildren(H.el("table", {}, [H.el("thead", {}, [head]), H.el("tbody", {}, rows)]));
    });
  }

  // The comparison group (similar areas by covariates), fetched per area, and the area's ratio
  // against it.
  function comparison(code) {
    const box = H.el("div", { class: "js-comparison muted" }, ["…"]);
    const url = data.group_url + "?gebied=" + encodeURIComponent(code);
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (g) {
      if (!box.isConnected) return;
      box.classList.remove("muted");
      if (!g.leden.length) { box.replaceChildren(H.el("p", { class: "muted" }, [T.noGroup])); return; }
      const ratio = H.format(value(code, "ratio_t_o_v_groep"), 2);
      const head = T.comparedWith.replace("{n}", g.leden.length) + ": " +
        (ratio === null ? HIDDEN_TEXT : T.ratioToGroup.replace("{ratio}", ratio));
      const names = g.leden.map(function (c) { return H.el("li", {}, [(byCode[c] || c) + " (" + c + ")"]); });
      box.replaceChildren(H.el("p", {}, [head]),
        H.el("details", {}, [H.el("summary", {}, [T.groupMembers]), H.el("ul", {}, names)]));
    });
    return box;
  }

  function select(code, focusDetail) {
    selected = code;
    redraw();
    show(code);
    if (focusDetail) detail.focus();
  }

  function drawList(ind) {
    const needle = (filter.value || "").toLowerCase();
    const codes = sortedCodes.filter(function (c) { return !needle || byCode[c].toLowerCase().indexOf(needle) >= 0 || c.toLowerCase().indexOf(needle) >= 0; });
    const shown = codes.slice(0, 300);
    const rows = shown.map(function (c) {
      let v = value(c, ind.column);
      let text = ind.scale === "categorical" ? categoryLabel(ind, v) : (H.format(v, ind.decimals, ind.percent) || HIDDEN_TEXT);
      const button = H.el("button", { type: "button", class: "link", "data-code": c }, [byCode[c] + " (" + c + ")"]);
      return H.el("tr", {}, [H.el("td", {}, [button]), H.el("td", { class: "num" }, [text])]);
    });
    if (codes.length > shown.length) {
      rows.push(H.el("tr", {}, [H.el("td", { colspan: "2", class: "muted" },
        ["… " + T.more.replace("{n}", codes.length - shown.length)])]));
    }
    listBody.replaceChildren.apply(listBody, rows);
    document.getElementById("list-value-head").textContent = ind.label;
  }

  function fetchJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
  }

  function useValues(d) {
    data = d;
    column = {};
    d.columns.forEach(function (name, i) { column[name] = i; });
  }

  function valuesURL() {
    return config.values + "?hulpvorm=" + encodeURIComponent(formSelect.value);
  }

  function loadValues() {
    return fetchJSON(valuesURL()).then(function (d) {
      useValues(d);
      redraw();
      if (selected) show(selected);
    });
  }

  listBody.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-code]");
    if (button) select(button.getAttribute("data-code"), true);
  });
  filter.addEventListener("input", function () { drawList(indicator()); });
  indicatorSelect.addEventListener("change", redraw);
  formSelect.addEventListener("change", function () { syncIndicators(); loadValues(); });
  syncIndicators();

  // Outlines and values at once; the areas are drawn once, already styled.
  Promise.all([fetchJSON(config.geometry), fetchJSON(valuesURL())]).then(function (loaded) {
    const geo = loaded[0];
    useValues(loaded[1]);
    geo.features.forEach(function (f) { byCode[f.id] = f.properties.naam; });
    const collator = new Intl.Collator(document.documentElement.lang || "nl-BE");
    sortedCodes = Object.keys(byCode).sort(function (a, b) { return collator.compare(byCode[a], byCode[b]); });
    layer = L.geoJSON(geo, {
      renderer: view.renderer,
      onEachFeature: function (feature, area) { layers[feature.id] = area; },
    });
    // One handler and one tooltip for the whole layer, not one per area.
    layer.on("click", function (e) { select(e.layer.feature.id, false); });
    // A string would be set as HTML by Leaflet: the name goes in as text.
    layer.bindTooltip(function (area) { return H.el("span", {}, [area.feature.properties.naam]); }, { sticky: true });
    layer.addTo(view.map);
    view.map.fitBounds(layer.getBounds());
    redraw();  // styles before the canvas' first frame: the areas are drawn once
    // A point of the funnel plot links here with its area: open it, with its surroundings.
    if (config.gebied && layers[config.gebied]) {
      view.map.fitBounds(layers[config.gebied].getBounds().pad(4));
      select(config.gebied, true);
    }
    // The download buttons send the map's zoom along (kader: west,south,east,north).
    const extent = document.getElementById("map-extent");
    function keepExtent() {
      const b = view.map.getBounds();
      const clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)).toFixed(5); };
      extent.value = [clamp(b.getWest(), 180), clamp(b.getSouth(), 85), clamp(b.getEast(), 180), clamp(b.getNorth(), 85)].join(",");
    }
    view.map.on("moveend", keepExtent);
    keepExtent();
    mapElement.setAttribute("data-areas", String(geo.features.length));
    H.whenDrawn(mapElement);
  });
})();
