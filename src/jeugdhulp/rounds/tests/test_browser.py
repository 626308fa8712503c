"""A partner uploads a file with errors, reads the messages, and uploads the corrected file."""

from __future__ import annotations

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_partner_corrects_a_refused_file(page, live_server, ronde, people, partner_file, log_in):
    log_in("mw")
    page.goto(f"{live_server.url}/rondes/{ronde.pk}/")
    page.set_input_files("input[name=bestand]", str(partner_file(5, geslacht="F")))
    page.click("text=Aanleveren >> nth=-1")
    report = page.locator("#rapport")
    assert "rij 2, kolom geslacht: waarde 'F': onbekende code" in report.inner_text()
    assert "geweigerd" in report.inner_text()
    page.set_input_files("input[name=bestand]", str(partner_file(5, name="goed.csv")))
    page.click("text=Aanleveren >> nth=-1")
    assert "Versie 2 is aanvaard" in page.locator(".messages").inner_text()
    assert "In orde: 5 rijen" in page.locator("#rapport").inner_text()
