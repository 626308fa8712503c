"""What a partner needs to fill in the template: its own sites, the round's forms of help and how
the round key reaches it (by its fingerprint on the round; the key itself never comes here)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from jeugdhulp.rounds.models import Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(ronde):
    """A municipality with an outline around site V001 and one named by V002's postcode."""
    from jeugdhulp.reference.models import Area, AreaLevel, Site

    square = {"type": "Polygon", "coordinates": [[[5.2, 50.8], [5.4, 50.8], [5.4, 51.0],
                                                  [5.2, 51.0], [5.2, 50.8]]]}  # fmt: skip
    Area.objects.create(code="71999", naam="Vierkantdorp", niveau=AreaLevel.GEMEENTE,
                        vintage="2025", geometry=json.dumps(square), centroid_lon=5.3,
                        centroid_lat=50.9)  # fmt: skip
    Area.objects.create(code="71072", naam="Hasselt", niveau=AreaLevel.GEMEENTE, vintage="2025")
    Site.objects.filter(code="V002").update(postcode="3500", lon=3.0, lat=51.2)


def _page(client, user, ronde) -> str:
    client.force_login(user)
    return client.get(reverse("rounds:detail", args=[ronde.pk])).content.decode()


def test_the_partner_sees_its_sites_with_their_municipality(client, ronde, people, places):
    page = _page(client, people["partner_user"], ronde)
    assert "Uw vestigingen" in page
    assert "<code>V001</code>" in page and "Vierkantdorp" in page
    assert "<code>V002</code>" in page and "3500 Hasselt" in page


def test_the_partner_sees_the_forms_of_help_by_code_and_name(client, ronde, people):
    from jeugdhulp.reference.models import HulpVorm

    page = _page(client, people["partner_user"], ronde)
    form = HulpVorm.objects.first()
    assert f"<td><code>{form.code}</code></td><td>{form.label}</td>" in page


def test_a_partner_does_not_see_another_partners_sites(client, ronde, network, make_user):
    other = make_user("medewerker_voorziening", network["partner2"])
    page = _page(client, other, ronde)
    assert "V001" not in page
    assert "nog geen vestigingen geregistreerd" in page


def test_the_partner_reads_how_the_key_reaches_it_and_its_fingerprint(client, ronde, people):
    Round.objects.filter(pk=ronde.pk).update(sleutel_vingerafdruk="10e3-ad45-6968-cbc4")
    page = _page(client, people["partner_user"], ronde)
    assert "U krijgt de sleutel van de coördinator van de ronde" in page
    assert "buiten dit platform om" in page
    assert '<code class="fingerprint">10e3-ad45-6968-cbc4</code>' in page
    assert reverse("rounds:programma") in page


def test_the_partner_downloads_the_pseudonymisation_program(client, ronde, people):
    from jeugdhulp.snapshot import pseudonym

    client.force_login(people["partner_user"])
    response = client.get(reverse("rounds:programma"))
    assert response.status_code == 200
    with open(pseudonym.__file__, "rb") as source:
        assert b"".join(response.streaming_content) == source.read()
    assert 'filename="pseudonym.py"' in response["Content-Disposition"]


def test_the_excel_template_holds_the_partners_sites_and_the_key_fingerprint(
    client, ronde, people, places
):
    Round.objects.filter(pk=ronde.pk).update(sleutel_vingerafdruk="10e3-ad45-6968-cbc4")
    client.force_login(people["partner_user"])
    response = client.get(reverse("rounds:sjabloon", args=[ronde.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sites = list(book["vestigingen"].iter_rows(values_only=True))
    assert sites[0][:4] == ("vestiging", "naam", "postcode", "gemeente")
    assert [row[0] for row in sites[1:]] == ["V001", "V002"]
    assert sites[2][2:4] == ("3500", "Hasselt")
    checks = {
        str(v.sqref).split(":")[0]: v.formula1 for v in book["data"].data_validations.dataValidation
    }
    assert checks["A2"] == "'vestigingen'!$A$2:$A$3"  # the vestiging column picks from its sites
    instructions = " ".join(
        str(c) for row in book["instructies"].iter_rows(values_only=True) for c in row if c
    )
    assert "vingerafdruk 10e3-ad45-6968-cbc4" in instructions
    assert "blad 'vestigingen'" in instructions


def test_the_coordinators_template_has_no_sites_sheet(client, ronde, people):
    client.force_login(people["coordinator"])
    response = client.get(reverse("rounds:sjabloon", args=[ronde.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "vestigingen" not in book.sheetnames


def test_the_coordinator_writes_down_the_fingerprint_in_any_spelling(client, ronde, people):
    client.force_login(people["coordinator"])
    url = reverse("rounds:sleutel", args=[ronde.pk])
    response = client.post(url, {"sleutel_vingerafdruk": " 10E3 AD45.6968-cbc4 "}, follow=True)
    ronde.refresh_from_db()
    assert ronde.sleutel_vingerafdruk == "10e3-ad45-6968-cbc4"
    assert "De vingerafdruk van de rondesleutel is bewaard." in response.content.decode()


def test_the_key_itself_is_refused_and_not_stored_or_shown(client, ronde, people):
    key = "ab" * 32
    client.force_login(people["coordinator"])
    url = reverse("rounds:sleutel", args=[ronde.pk])
    response = client.post(url, {"sleutel_vingerafdruk": key}, follow=True)
    page = response.content.decode()
    ronde.refresh_from_db()
    assert ronde.sleutel_vingerafdruk == ""
    assert "Dit is geen vingerafdruk" in page and "Vul nooit de sleutel zelf in." in page
    assert key not in page


def test_a_new_round_form_does_not_show_a_refused_key_again(client, ronde, people, network):
    key = "cd" * 32
    client.force_login(people["coordinator"])
    data = {"naam": "R", "peildatum": "2024-02-10", "organisatie": network["region"].pk,
            "drempel": 5, "sleutel_vingerafdruk": key}  # fmt: skip
    page = client.post(reverse("rounds:nieuw"), data).content.decode()
    assert "Dit is geen vingerafdruk" in page
    assert key not in page


def test_a_partner_cannot_change_the_fingerprint(client, ronde, people):
    client.force_login(people["partner_user"])
    url = reverse("rounds:sleutel", args=[ronde.pk])
    response = client.post(url, {"sleutel_vingerafdruk": "10e3-ad45-6968-cbc4"})
    assert response.status_code in (403, 404)
    ronde.refresh_from_db()
    assert ronde.sleutel_vingerafdruk == ""


def test_the_response_overview_names_each_partners_state_in_words(
    client, ronde, people, partner_file, network
):
    from jeugdhulp.rounds import services

    services.import_file(ronde, network["partner"], partner_file(3))
    services.import_file(ronde, network["partner"], partner_file(3, geslacht="F"))
    services.import_file(ronde, network["partner2"], partner_file(3, geslacht="F"))
    states = {r.partner.code: r.state_label for r in services.response_overview(ronde)}
    assert states == {
        "IN-1": "aangeleverd; een latere versie is geweigerd",
        "IN-2": "geweigerd; wacht op een verbeterd bestand",
    }
    page = _page(client, people["coordinator"], ronde)
    assert '<td class="state">geweigerd; wacht op een verbeterd bestand</td>' in page


def test_a_partner_without_uploads_is_not_yet_delivered(ronde):
    from jeugdhulp.rounds import services

    assert {r.state_label for r in services.response_overview(ronde)} == {"nog niet aangeleverd"}


def test_one_accepted_row_is_said_in_the_singular(client, ronde, people, partner_file):
    client.force_login(people["partner_user"])
    with partner_file(1).open("rb") as handle:
        response = client.post(
            reverse("rounds:aanleveren", args=[ronde.pk]), {"bestand": handle}, follow=True
        )
    page = response.content.decode()
    assert "Versie 1 is aanvaard: 1 rij ingelezen." in page
    assert "1 rij gelezen, 0 fouten, 0 waarschuwingen." in page
