"""Rounds by clicking, as a person does: from the home page to the round, the template, the
upload and its messages; the coordinator's new round."""

from __future__ import annotations

import openpyxl
import pytest


def _open_the_round(page, live_server, name: str = "Foto test") -> None:
    page.goto(f"{live_server.url}/")
    page.click("main a:has-text('Foto-rondes')")
    page.click(f"main a:has-text('{name}')")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_partner_corrects_a_refused_file(page, live_server, ronde, people, partner_file, log_in):
    log_in("mw")
    _open_the_round(page, live_server)
    page.set_input_files("input[name=bestand]", str(partner_file(5, geslacht="F")))
    page.click("text=Aanleveren >> nth=-1")
    report = page.locator("#rapport")
    assert "rij 2, kolom geslacht: waarde 'F': onbekende code" in report.inner_text()
    assert "geweigerd" in report.inner_text()
    page.set_input_files("input[name=bestand]", str(partner_file(5, name="goed.csv")))
    page.click("text=Aanleveren >> nth=-1")
    assert "Versie 2 is aanvaard" in page.locator(".messages").inner_text()
    assert "In orde: 5 rijen" in page.locator("#rapport").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_partner_finds_its_codes_and_the_key_then_reads_a_dutch_message(
    page, live_server, ronde, people, partner_file, log_in, tmp_path
):
    from jeugdhulp.rounds.models import Round

    Round.objects.filter(pk=ronde.pk).update(sleutel_vingerafdruk="10e3-ad45-6968-cbc4")
    log_in("mw")
    _open_the_round(page, live_server)

    sites = page.locator("#vestigingen").inner_text()
    assert "V001" in sites and "V002" in sites
    forms = page.locator("#hulpvormen").inner_text()
    assert "VB" in forms and "verblijf" in forms
    key = page.locator("#sleutel").inner_text()
    assert "U krijgt de sleutel van de coördinator van de ronde" in key
    assert "10e3-ad45-6968-cbc4" in key

    with page.expect_download() as download:
        page.click("main a:has-text('Excel (.xlsx)')")
    template = tmp_path / "sjabloon.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    assert [row[0] for row in book["vestigingen"].iter_rows(min_row=2, values_only=True)] == [
        "V001",
        "V002",
    ]
    with page.expect_download() as program:
        page.click("#sleutel a:has-text('pseudonym.py')")
    assert program.value.suggested_filename == "pseudonym.py"

    page.set_input_files("input[name=bestand]", str(partner_file(1, startdatum="2099-01-01")))
    page.click("text=Aanleveren >> nth=-1")
    summary = page.locator("#rapport .report__summary").inner_text()
    assert "1 rij gelezen, 1 fout, 0 waarschuwingen." in summary
    assert "Verbeter de fout in 1 rij" in summary
    assert "Soort fout: startdatum na de peildatum (1×)." in summary
    assert "na_peildatum" not in summary and "1 fouten" not in summary


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_coordinator_creates_a_round_by_clicking(page, live_server, ronde, people, log_in):
    log_in("coord")
    page.goto(f"{live_server.url}/")
    page.click("main a:has-text('Foto-rondes')")
    page.click("main a:has-text('Nieuwe ronde')")
    page.fill("input[name=naam]", "Foto 2026")
    page.fill("input[name=peildatum]", "2026-02-10")
    page.select_option("select[name=organisatie]", label="Organisatie IROJ-T (IROJ-T)")
    page.get_by_label("Organisatie IN-1 (IN-1)").check()
    page.fill("input[name=sleutel_vingerafdruk]", "10E3 AD45 6968 CBC4")
    page.click("main button:has-text('Ronde aanmaken')")
    page.wait_for_load_state()
    assert "De ronde is aangemaakt." in page.locator(".messages").inner_text()
    assert page.locator("h1").inner_text().startswith("Foto 2026")
    assert "10e3-ad45-6968-cbc4" in page.locator(".facts").inner_text()
    assert "nog niet aangeleverd" in page.locator("table.response").inner_text()
