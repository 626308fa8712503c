"""Downloading the map as an image by clicking only: from the home page to a run's map, another
form of help, zoom in, "Kaart downloaden" PNG → a PNG of that form and zoom."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from jeugdhulp.accounts.models import Role
from jeugdhulp.audit.models import AuditEvent

pytestmark = pytest.mark.browser


def test_the_analist_downloads_the_map_of_the_chosen_form_as_png(
    page, committed_run, make_user, log_in
):
    analist = make_user(Role.ANALIST, committed_run["region"])
    log_in(analist.username)
    page.click("text=Kaarten en rapporten")
    page.locator("main table a", has_text="Foto 2025 (test)").first.click()
    page.click("a.button:has-text('Kaart')")
    page.wait_for_selector("#map[data-ready='1']")
    page.select_option("#hulpvorm", "BH")
    page.select_option("#indicator", "afstand")
    whole = page.input_value("#map-extent")
    page.click(".leaflet-control-zoom-in")
    # Leaflet's zoom animation ends with the moveend that keeps the new extent.
    page.wait_for_function("v => document.getElementById('map-extent').value !== v", arg=whole)
    with page.expect_download() as download:
        page.click(".map-download button:has-text('PNG')")
    assert download.value.suggested_filename == "kaart-foto-2025-test-bh-afstand.png"
    # The selection and the map's zoom went along.
    query = parse_qs(urlsplit(download.value.url).query)
    assert query["hulpvorm"] == ["BH"] and query["indicator"] == ["afstand"]
    west, south, east, north = (float(v) for v in query["kader"][0].split(","))
    assert 5.0 < west < east < 5.5 and 50.8 < south < north < 51.2
    with open(download.value.path(), "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    # The page stays where it was, with the selection made.
    assert page.input_value("#hulpvorm") == "BH"
    exported = AuditEvent.objects.filter(action="export").values_list("fields", flat=True)
    assert ["kaart-foto-2025-test-bh-afstand.png"] in list(exported)
