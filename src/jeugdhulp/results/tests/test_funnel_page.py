"""The funnel-plot page: per form, links to the map, and nothing a hidden count could be read
from."""

from __future__ import annotations

import base64
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from jeugdhulp.analysis import funnel_plot
from jeugdhulp.results import services

POINT = re.compile(
    r'<a class="funnel__point" href="([^"]+)" data-code="([^"]+)" aria-label="([^"]+)">'
    r'<circle cx="([\d.]+)" cy="([\d.]+)"'
)


def _page(client, run, **query):
    return client.get(reverse("results:funnel", args=[run.pk]), query)


@pytest.mark.parametrize("form", ["ALLE", "BH", "CB"])
def test_the_page_draws_every_area_with_a_published_count_per_form(client, done_run, users, form):
    client.force_login(users["analist"])
    run = done_run["run"]
    page = _page(client, run, hulpvorm=form)
    assert page.status_code == 200
    html = page.content.decode()
    frame = services.published_frame(run, form)
    shown = frame[frame["aantal_clienten"].notna() & (frame["verwacht"] > 0)]
    assert sorted(point[1] for point in POINT.findall(html)) == sorted(shown["gebied_code"])
    # The table: the areas outside the limits with overdispersion (the default), in order.
    table = html.split('id="funnel-outside"')[-1] if 'id="funnel-outside"' in html else ""
    listed = re.findall(r'<tr><td><a href="[^"]+">[^<]+</a> <span class="muted">\(([^)]+)\)', table)
    assert listed == funnel_plot.outside_rows(frame)["gebied_code"].tolist()
    hidden = int(frame["aantal_clienten"].isna().sum())
    if hidden:
        assert f"{hidden} gebied" in html and "te weinig gegevens" in html
    # Both sets of limits and the line at 1 are explained; the method is named.
    assert "grenzen van 99,8% (Poisson)" in html and "verhouding 1 (zoals verwacht)" in html
    assert 'data-curve="998"' in html and "φ = " in html


def test_a_point_links_to_its_area_on_the_map_with_its_form(client, done_run, users):
    client.force_login(users["analist"])
    run = done_run["run"]
    href, code, *_rest = POINT.findall(_page(client, run, hulpvorm="BH").content.decode())[0]
    assert unescape(href) == (
        reverse("results:kaart", args=[run.pk]) + f"?hulpvorm=BH&indicator=ratio&gebied={code}"
    )
    page = client.get(unescape(href))
    html = page.content.decode()
    assert '<option value="BH" selected>' in html and '<option value="ratio" selected>' in html
    assert f'"gebied": "{code}"' in html  # the map's script opens it


def test_an_unknown_form_or_limit_choice_answers_404_and_partners_see_no_plot(
    client, done_run, users
):
    run = done_run["run"]
    client.force_login(users["analist"])
    assert _page(client, run, hulpvorm="XX").status_code == 404
    assert _page(client, run, grenzen="ruim").status_code == 404
    assert _page(client, run, grenzen="poisson").status_code == 200
    client.force_login(users["partner"])
    assert _page(client, run).status_code == 404


@pytest.mark.parametrize("form", ["ALLE", "BH", "CB"])
def test_attack_no_hidden_count_can_be_read_from_the_funnel_page(client, done_run, users, form):
    """The attacker reads every point (name and figures in its label, position on the axes)
    and the table: each figure is one the published table holds, and no area whose count is
    hidden appears at all."""
    client.force_login(users["analist"])
    run = done_run["run"]
    html = _page(client, run, hulpvorm=form).content.decode()
    frame = services.published_frame(run, form).set_index("gebied_code")
    hidden = frame.index[frame["aantal_clienten"].isna()]
    assert not [code for code in hidden if f"({code})" in html or f"gebied={code}" in html]
    for _href, code, label, _cx, _cy in POINT.findall(html):
        figures = re.search(r": (\d+) kinderen, verwacht ([\d.,]+), verhouding ([\d.,]+)", label)
        count, expected, ratio = figures.groups()
        row = frame.loc[code]
        assert int(count) == row["aantal_clienten"]
        assert float(expected.replace(".", "").replace(",", ".")) == pytest.approx(
            row["verwacht"], abs=0.051
        )
        # ratio × E is the published count, not more precise than the published ratio gives.
        assert float(ratio.replace(",", ".")) == pytest.approx(row["ratio"], abs=0.0051)


def test_the_funnel_page_in_english_shows_english_labels(client, done_run, users):
    client.force_login(users["analist"])
    run = done_run["run"]
    with translation.override("en"):
        url = reverse("results:funnel", args=[run.pk])
    html = client.get(url, {"hulpvorm": "BH"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Funnel plot" in html and "99.8% limits (Poisson)" in html
    assert "expected number of children (logarithmic scale)" in html
    label = POINT.findall(html)[0][2]
    assert " children, expected " in label and "limit" in label
    assert "grenzen van" not in html and " kinderen, verwacht " not in html


def test_the_web_report_has_a_funnel_plot_per_form_with_how_to_read_it(done_run):
    run = done_run["run"]
    html = (run.folder / "rapport.html").read_text(encoding="utf-8")
    section = html.split("<h2>Funnelplots per hulpvorm</h2>")[1].split("<h2>")[0]
    assert "Buiten de stippellijnen ligt een gebied" in section
    images = re.findall(
        r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="funnelplot (\w+)"', section
    )
    assert [form for _data, form in images] == run.hulpvormen
    for data, form in images:
        markup = base64.b64decode(data).decode("utf-8")
        frame = services.published_frame(run, form)
        shown = int(frame["aantal_clienten"].notna().sum())
        assert markup.count("<circle") - len(funnel_plot.CLASS_COLOURS) == shown
        for code in frame.loc[frame["aantal_clienten"].isna(), "gebied_code"]:
            assert f"({code})" not in markup
