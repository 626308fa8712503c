"""Hostile deliveries through every route (issue #12, finding 4): the screen, the API and the
service honour JEUGDHULP_MAX_UPLOAD_BYTES, _ROWS and the reading bounds, answer in Dutch and
import nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdhulp.data.tests.test_upload_limits import crafted_workbook, tiny_rows
from jeugdhulp.rounds.models import SnapshotRow, Upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(people):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(people["partner_user"])
    return client


def post_page(client, ronde, path):
    with path.open("rb") as handle:
        response = client.post(
            reverse("rounds:aanleveren", args=[ronde.pk]), {"bestand": handle}, follow=True
        )
    return response.content.decode()


def post_api(api, ronde, path):
    with path.open("rb") as handle:
        return api.post(
            reverse("api:aanleveringen", args=[ronde.pk]), {"bestand": handle}, format="multipart"
        )


def test_a_workbook_over_the_row_setting_is_refused_on_the_page(
    client, ronde, people, tmp_path, settings
):
    settings.JEUGDHULP_MAX_UPLOAD_ROWS = 100
    path = crafted_workbook(tmp_path / "rijen.xlsx", tiny_rows(5_000))
    client.force_login(people["partner_user"])
    page = post_page(client, ronde, path)
    assert "Het bestand is geweigerd" in page
    assert "de werkmap heeft meer dan 100 rijen; dat is de grens" in page
    assert Upload.objects.get().status == "geweigerd"
    assert not SnapshotRow.objects.exists()


def test_a_csv_over_the_row_setting_is_refused_through_the_api(api, ronde, partner_file, settings):
    settings.JEUGDHULP_MAX_UPLOAD_ROWS = 10
    response = post_api(api, ronde, partner_file(30))
    assert response.status_code == 422
    assert "het bestand heeft meer dan 10 rijen; dat is de grens" in response.json()["rapport"][0]
    assert (response.json()["rijen"], SnapshotRow.objects.count()) == (0, 0)


def test_a_workbook_over_the_row_setting_is_refused_through_the_api(api, ronde, tmp_path, settings):
    settings.JEUGDHULP_MAX_UPLOAD_ROWS = 100
    response = post_api(api, ronde, crafted_workbook(tmp_path / "r.xlsx", tiny_rows(5_000)))
    assert response.status_code == 422
    assert "meer dan 100 rijen" in response.json()["rapport"][0]
    assert response.json()["rapport"][0].startswith("r.xlsx: ")  # the name the partner sent
    assert not SnapshotRow.objects.exists()


def test_a_file_over_the_byte_setting_is_stopped_while_the_page_reads_it(
    client, ronde, people, partner_file, settings
):
    settings.JEUGDHULP_MAX_UPLOAD_BYTES = 2_000
    path = partner_file(40)
    assert path.stat().st_size > 2_000
    client.force_login(people["partner_user"])
    page = post_page(client, ronde, path)
    assert "levering.csv is groter dan 2 KB, de grens; er is niets ingelezen." in page
    assert not Upload.objects.exists()


def test_a_file_over_the_byte_setting_is_stopped_while_the_api_reads_it(
    api, ronde, partner_file, settings
):
    settings.JEUGDHULP_MAX_UPLOAD_BYTES = 2**20
    path = partner_file(12_000)
    assert path.stat().st_size > 2**20
    response = post_api(api, ronde, path)
    assert response.status_code == 400
    assert response.json()["bestand"] == (
        "levering.csv is groter dan 1 MB, de grens; er is niets ingelezen."
    )
    assert not Upload.objects.exists()


def test_a_file_within_the_byte_setting_is_still_delivered(api, ronde, partner_file, settings):
    settings.JEUGDHULP_MAX_UPLOAD_BYTES = 2**20
    response = post_api(api, ronde, partner_file(20))
    assert response.status_code == 201 and response.json()["rijen"] == 20


def test_reading_a_delivery_runs_within_the_memory_setting(api, ronde, tmp_path, settings):
    # Two cells far apart make calamine build a grid of 20,000 x 702 cells (about 340 MB).
    settings.JEUGDHULP_UPLOAD_MEMORY_MB = 32
    sheet = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        b'<row r="20000"><c r="ZZ20000"><v>1</v></c></row>'
    )
    response = post_api(api, ronde, crafted_workbook(tmp_path / "verspreid.xlsx", sheet))
    assert response.status_code == 422
    assert "meer dan 32 MB geheugen; dat is de grens" in response.json()["rapport"][0]
    assert not SnapshotRow.objects.exists()


def test_a_workbook_with_cells_far_apart_is_refused_by_the_service(ronde, network, tmp_path):
    # 1.6 KB asking for a 512 GB grid: before, the failed allocation ended the web worker.
    from jeugdhulp.rounds import services

    sheet = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    path = crafted_workbook(tmp_path / "verspreid.xlsx", sheet)
    upload, result = services.import_file(ronde, network["partner"], path)
    assert upload.status == "geweigerd"
    assert "MB geheugen; dat is de grens" in result.problems[0].message
