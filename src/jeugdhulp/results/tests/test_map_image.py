"""The map as a PNG or SVG download: title, legend, source, permissions, only published values."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation
from matplotlib.image import imread

from jeugdhulp.audit.models import AuditEvent
from jeugdhulp.results.models import IndicatorRow

SVG = "{http://www.w3.org/2000/svg}"


def _url(run, image_format="png", **query):
    base = reverse("results:kaart_afbeelding", args=[run.pk, image_format])
    return base + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def _labels(svg: bytes) -> list[str]:
    """The SVG's text elements (title lines, legend entries, source)."""
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def _texts(svg: bytes) -> str:
    return "\n".join(_labels(svg))


def test_the_png_is_a_png_named_after_round_form_and_indicator(client, done_run, users):
    client.force_login(users["analist"])
    response = client.get(_url(done_run["run"], "png", hulpvorm="BH", indicator="bereik"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="kaart-foto-2025-test-bh-bereik.png"'
    )


def test_the_svg_holds_title_legend_and_source_as_text(client, done_run, users):
    client.force_login(users["analist"])
    run = done_run["run"]
    response = client.get(_url(run, "svg", hulpvorm="ALLE", indicator="ratio_eb"))
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"].endswith('kaart-foto-2025-test-alle-ratio_eb.svg"')
    text = _texts(response.content)
    assert "Gladgestreken verhouding" in text
    assert "alle hulpvormen — Foto 2025 (test), " + run.organisatie.naam in text
    # The diverging classes of the web map (RATIO_BREAKS), in Dutch notation.
    assert "≤ 0,67" in text and "> 1,50" in text
    assert "Bron: jeugdhulp, Foto 2025 (test) (peildatum 10 februari 2025)" in text
    assert "analyse versie 1 van" in text
    assert "bevolking 2025" in text  # the year of the fixtures' population
    assert "Aantallen van 1 tot 4 zijn verborgen" in text


def test_hotspots_and_blue_zones_are_outlined_and_named_in_the_legend(client, done_run, users):
    client.force_login(users["analist"])
    run = done_run["run"]
    url = _url(run, "svg", hulpvorm="BH", indicator="bereik")
    before = client.get(url).content
    assert "rand: hotspot" not in _labels(before) and b"#7f3b08" not in before
    rows = IndicatorRow.objects.filter(run=run, hulpvorm="BH")
    rows.filter(gebied_code__in=["A00", "A01"]).update(cluster="hotspot")
    rows.filter(gebied_code="A44").update(cluster="blauwe_zone")
    svg = client.get(url).content
    assert {"rand: hotspot", "rand: blauwe zone"} <= set(_labels(svg))
    # The outlines in the colours of the web map (map.js OUTLINE), around the areas and in
    # the legend.
    assert svg.count(b"stroke: #7f3b08") >= 2 and b"stroke: #08306b" in svg


def test_a_hidden_area_is_hatched_and_its_values_are_not_in_the_svg(client, done_run, users):
    client.force_login(users["analist"])
    run = done_run["run"]
    row = IndicatorRow.objects.get(run=run, hulpvorm="BH", gebied_code="A00")
    shown = f"{row.bereik_per_1000:.1f}".replace(".", ",")
    before = _labels(client.get(_url(run, "svg", hulpvorm="BH", indicator="bereik")).content)
    assert "te weinig gegevens" not in before
    # As disclosure control publishes a hidden cell: flagged, its count-derived values empty.
    IndicatorRow.objects.filter(pk=row.pk).update(
        onvoldoende_gegevens=True, aantal_clienten=None, bereik_per_1000=None
    )
    svg = client.get(_url(run, "svg", hulpvorm="BH", indicator="bereik")).content
    assert "te weinig gegevens" in _labels(svg)
    assert svg.count(b"fill: url(#h") == 2  # the hatch pattern fills the area and its swatch
    assert shown not in svg.decode()
    assert "A00" not in svg.decode() and "Gebied A00" not in svg.decode()


def test_downloading_the_map_is_audited(client, done_run, users):
    client.force_login(users["coordinator"])
    client.get(_url(done_run["run"], "png", hulpvorm="CB", indicator="afstand"))
    exported = AuditEvent.objects.filter(action="export").values_list("fields", flat=True)
    assert ["kaart-foto-2025-test-cb-afstand.png"] in list(exported)


@pytest.mark.parametrize(
    "image_format,query",
    [
        ("gif", {"hulpvorm": "BH", "indicator": "bereik"}),
        ("png", {"hulpvorm": "XX", "indicator": "bereik"}),
        ("png", {"hulpvorm": "BH", "indicator": "geheim"}),
    ],
)
def test_unknown_format_form_or_indicator_is_not_found(
    client, done_run, users, image_format, query
):
    client.force_login(users["analist"])
    assert client.get(_url(done_run["run"], image_format, **query)).status_code == 404


@pytest.mark.parametrize("who", ["partner", "outsider", "aanmelder"])
def test_who_may_not_see_the_map_cannot_download_it(client, done_run, users, who):
    client.force_login(users[who])
    response = client.get(_url(done_run["run"], "png", hulpvorm="BH", indicator="bereik"))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_map_page_offers_the_download_of_its_selection(client, done_run, users):
    client.force_login(users["analist"])
    run = done_run["run"]
    page = client.get(reverse("results:kaart", args=[run.pk]) + "?hulpvorm=BH").content.decode()
    assert "Kaart downloaden" in page
    for image_format in ("png", "svg"):
        url = reverse("results:kaart_afbeelding", args=[run.pk, image_format])
        assert f'formaction="{url}"' in page


def test_in_english_the_control_is_english_and_the_image_stays_dutch(client, done_run, users):
    """The image follows the report: Dutch for the region's readers, whatever the UI language."""
    client.force_login(users["analist"])
    run = done_run["run"]
    with translation.override("en"):
        page = client.get(reverse("results:kaart", args=[run.pk])).content.decode()
        image = reverse("results:kaart_afbeelding", args=[run.pk, "svg"])
    assert "Download map" in page and "Kaart downloaden" not in page
    labels = _labels(client.get(image + "?hulpvorm=BH&indicator=bereik").content)
    assert "Bereik per 1.000 jongeren (per 1.000)" in labels


def _coloured_share(png: bytes) -> float:
    """The share of pixels in a colour (not white, grey or black): the classed areas."""
    rgb = imread(io.BytesIO(png), format="png")[:, :, :3]
    return float(((rgb.max(axis=2) - rgb.min(axis=2)) > 0.15).mean())


def test_the_image_shows_the_zoom_of_the_map_when_given(client, done_run, users):
    client.force_login(users["analist"])
    run = done_run["run"]
    IndicatorRow.objects.filter(run=run, hulpvorm="BH", gebied_code="A00").update(
        onvoldoende_gegevens=True, aantal_clienten=None, bereik_per_1000=None
    )
    url = _url(run, "png", hulpvorm="BH", indicator="bereik")
    whole = client.get(url).content
    # Inside area A00 (5.080–5.137 °E, 50.928–50.964 °N): nothing but its hatching.
    zoomed = client.get(url + "&kader=5.09,50.935,5.125,50.955").content
    assert _coloured_share(whole) > 0.2
    assert _coloured_share(zoomed) < 0.05  # the legend's swatches only


@pytest.mark.parametrize(
    "kader",
    ["1,2,3", "a,b,c,d", "5,51,4,52", "5,51,6,50", "5,-91,6,50", "5,51,nan,52", "0,0,inf,1"],
)
def test_a_zoom_that_is_no_extent_is_a_bad_request(client, done_run, users, kader):
    client.force_login(users["analist"])
    url = _url(done_run["run"], "png", hulpvorm="BH", indicator="bereik", kader=kader)
    response = client.get(url)
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()
