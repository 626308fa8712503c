/* The duiding part of the map's detail panel: what people recorded for the area shown (counts,
   factors, texts with organisation and date) and a short form for one's own. map.js announces
   the area with the "jeugdhulp:area" event; the form posts to the plain duiding page, which
   answers the panel's JSON (the same page works without JavaScript). */
"use strict";

(function () {
  const H = window.JeugdhulpMap;
  const config = document.getElementById("duiding-config");
  const detail = document.getElementById("detail");
  if (!config || !detail) return;
  const csrf = config.querySelector("input[name=csrfmiddlewaretoken]").value;
  let shown = null;  // the section of the area now in the panel

  function summary(d) {
    const s = d.samenvatting;
    const T = d.teksten;
    const parts = [H.el("h3", {}, [T.titel])];
    if (!s.aantal) {
      parts.push(H.el("p", { class: "muted" }, [T.geen]));
      return parts;
    }
    parts.push(H.el("p", {}, [T.personen]));
    parts.push(H.el("ul", { class: "duiding-counts" }, s.antwoorden.map(function (a) {
      return H.el("li", {}, [a.label + ": ", H.el("strong", {}, [a.aantal])]);
    })));
    if (s.factoren.length) {
      parts.push(H.el("p", { class: "duiding-factors-head" }, [T.factoren]));
      parts.push(H.el("ul", { class: "duiding-factors" }, s.factoren.map(function (f) {
        return H.el("li", {}, [f.label + " (" + f.aantal + ")"]);
      })));
    }
    s.teksten.forEach(function (t) {
      parts.push(H.el("blockquote", { class: "duiding-text" }, [
        H.el("p", {}, [t.tekst]),
        H.el("footer", { class: "muted" }, [t.organisatie + ", " + t.datum + " — " + t.herkend]),
      ]));
    });
    return parts;
  }

  function choice(type, name, value, label, checked, id) {
    const input = H.el("input", { type: type, name: name, value: value, id: id });
    input.checked = checked;
    return H.el("label", { for: id, class: "duiding-choice" }, [input, " " + label]);
  }

  function form(d, section) {
    const T = d.teksten;
    const own = d.eigen || { herkend: null, factoren: [], toelichting: "" };
    const status = H.el("p", { class: "duiding-status", role: "status" });
    const text = H.el("textarea", { name: "toelichting", id: "duiding-toelichting", rows: "3",
                                    maxlength: String(d.max_lengte), "aria-describedby": "duiding-warning" });
    text.value = own.toelichting;
    const element = H.el("form", { method: "post", action: d.formulier, class: "duiding-form" }, [
      H.el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrf }),
      H.el("input", { type: "hidden", name: "gebied", value: d.gebied }),
      H.el("input", { type: "hidden", name: "hulpvorm", value: d.hulpvorm }),
      H.el("fieldset", {}, [H.el("legend", {}, [T.vraag])].concat(d.keuzes.map(function (c) {
        return choice("radio", "herkend", c[0], c[1], own.herkend === c[0], "duiding-h-" + c[0]);
      }))),
      H.el("fieldset", {}, [H.el("legend", {}, [T.factorvraag])].concat(d.factorkeuzes.map(function (c) {
        return choice("checkbox", "factoren", c[0], c[1], own.factoren.indexOf(c[0]) >= 0, "duiding-f-" + c[0]);
      }))),
      H.el("label", { for: "duiding-toelichting" }, [T.toelichting]),
      text,
      H.el("p", { class: "muted", id: "duiding-warning" }, [T.waarschuwing]),
      H.el("p", {}, [H.el("button", { type: "submit", class: "primary" }, [T.bewaren]), " ",
                     H.el("a", { href: d.formulier }, [T.pagina])]),
      status,
    ]);
    element.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(d.formulier, { method: "POST", body: new FormData(element), credentials: "same-origin",
                           headers: { Accept: "application/json", "X-CSRFToken": csrf } })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (answer) {
          if (!answer.ok) {
            const messages = [];
            Object.keys(answer.body.fouten || {}).forEach(function (field) {
              answer.body.fouten[field].forEach(function (e) { messages.push(e.message); });
            });
            status.replaceChildren(T.fout + " " + messages.join(" "));
            status.className = "duiding-status error";
            return;
          }
          draw(section, answer.body);
          section.querySelector(".duiding-status").textContent = T.bewaard;
        })
        .catch(function () { status.textContent = T.fout; status.className = "duiding-status error"; });
    });
    return [H.el("h3", {}, [T.eigen]), element];
  }

  function draw(section, d) {
    const parts = summary(d);
    section.replaceChildren.apply(section, d.mag_schrijven ? parts.concat(form(d, section)) : parts);
  }

  detail.addEventListener("jeugdhulp:area", function (event) {
    const section = H.el("section", { class: "duiding", "aria-live": "polite" }, ["…"]);
    detail.append(section);
    shown = section;
    const url = config.getAttribute("data-url") + "?gebied=" + encodeURIComponent(event.detail.code) +
      "&hulpvorm=" + encodeURIComponent(event.detail.form);
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (section !== shown || !section.isConnected) return;  // another area was clicked since
        if (d === null) { section.remove(); return; }
        draw(section, d);
      });
  });
})();
