"""The rounds screens: who sees what, creating a round, delivering, the response overview."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdhulp.rounds.models import Round, Upload

pytestmark = pytest.mark.django_db


def test_the_partner_delivers_and_reads_the_same_messages_as_the_cli(
    client, ronde, people, partner_file
):
    client.force_login(people["partner_user"])
    url = reverse("rounds:aanleveren", args=[ronde.pk])
    with partner_file(6, startdatum="2099-01-01").open("rb") as handle:
        response = client.post(url, {"bestand": handle}, follow=True)
    page = response.content.decode()
    assert "Het bestand is geweigerd" in page
    assert "rij 2, kolom startdatum: waarde &#x27;2099-01-01&#x27;: de startdatum ligt na" in page
    with partner_file(6, name="verbeterd.csv").open("rb") as handle:
        response = client.post(url, {"bestand": handle}, follow=True)
    assert "Versie 2 is aanvaard" in response.content.decode()
    assert list(Upload.objects.values_list("versie", "status", "actief")) == [
        (2, "aanvaard", True),
        (1, "geweigerd", False),
    ]


def test_the_coordinator_sees_who_delivered(client, ronde, people, partner_file):
    from jeugdhulp.rounds import services

    services.import_file(ronde, ronde.partners.get(code="IN-1"), partner_file(7))
    client.force_login(people["coordinator"])
    page = client.get(reverse("rounds:detail", args=[ronde.pk])).content.decode()
    assert "1 van 2 partners leverden aan: 7 rijen" in page
    assert "Organisatie IN-2" in page


def test_outsiders_get_404(client, ronde, people, partner_file):
    client.force_login(people["outsider"])
    assert client.get(reverse("rounds:detail", args=[ronde.pk])).status_code == 404
    with partner_file(3).open("rb") as handle:
        response = client.post(reverse("rounds:aanleveren", args=[ronde.pk]), {"bestand": handle})
    assert response.status_code == 404
    assert client.get(reverse("rounds:sjabloon", args=[ronde.pk, "xlsx"])).status_code == 404
    assert not Upload.objects.exists()


def test_a_partner_cannot_read_another_partners_report(
    client, ronde, people, partner_file, network
):
    from jeugdhulp.rounds import services

    other, _ = services.import_file(ronde, network["partner2"], partner_file(3))
    client.force_login(people["partner_user"])
    page = client.get(reverse("rounds:detail", args=[ronde.pk]) + f"?aanlevering={other.pk}")
    assert other.samenvatting not in page.content.decode()


def test_the_template_of_the_round_downloads(client, ronde, people):
    client.force_login(people["partner_user"])
    response = client.get(reverse("rounds:sjabloon", args=[ronde.pk, "xlsx"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    csv = client.get(reverse("rounds:sjabloon", args=[ronde.pk, "csv"]))
    assert b"vestiging;client_pseudoniem" in b"".join(csv.streaming_content)


def test_a_coordinator_creates_a_round(client, people, network):
    from jeugdhulp.reference.models import HulpVorm

    client.force_login(people["coordinator"])
    assert client.get(reverse("rounds:nieuw")).status_code == 200
    response = client.post(
        reverse("rounds:nieuw"),
        {
            "naam": "Foto 2024",
            "peildatum": "2024-02-10",
            "organisatie": network["region"].pk,
            "partners": [network["partner"].pk],
            "hulpvormen": list(HulpVorm.objects.values_list("pk", flat=True)[:3]),
            "drempel": 5,
        },
    )
    ronde = Round.objects.get(naam="Foto 2024")
    assert response.status_code == 302 and ronde.hulpvormen.count() == 3
    assert client.get(reverse("rounds:lijst")).content.decode().count("Foto 2024") == 1


def test_a_partner_may_not_create_a_round(client, people):
    client.force_login(people["partner_user"])
    assert client.get(reverse("rounds:nieuw")).status_code == 403


def test_a_partner_system_delivers_through_the_api(ronde, people, partner_file):
    from rest_framework.test import APIClient

    from jeugdhulp.api.tokens import issue

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue(people['partner_user'])[1]}")
    url = reverse("api:aanleveringen", args=[ronde.pk])
    with partner_file(4, toegang="XX").open("rb") as handle:
        refused = api.post(url, {"bestand": handle}, format="multipart")
    assert refused.status_code == 422
    assert refused.json()["rapport"][0].startswith("rij 2, kolom toegang: waarde 'XX'")
    with partner_file(4).open("rb") as handle:
        accepted = api.post(url, {"bestand": handle}, format="multipart")
    assert accepted.status_code == 201
    assert (accepted.json()["versie"], accepted.json()["actief"]) == (2, True)
    assert [u["versie"] for u in api.get(url).json()] == [2, 1]


def test_outsiders_get_404_from_the_api(ronde, people, partner_file):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(people["outsider"])
    url = reverse("api:aanleveringen", args=[ronde.pk])
    with partner_file(2).open("rb") as handle:
        assert api.post(url, {"bestand": handle}, format="multipart").status_code == 404
    assert api.get(url).status_code == 404


def test_the_coordinator_closes_and_reopens_the_round(client, ronde, people, partner_file):
    client.force_login(people["coordinator"])
    status_url = reverse("rounds:status", args=[ronde.pk])
    page = client.post(status_url, {"open": "0"}, follow=True).content.decode()
    assert "De ronde is gesloten" in page and "Ronde heropenen" in page
    ronde.refresh_from_db()
    assert ronde.open is False

    client.force_login(people["partner_user"])
    page = client.get(reverse("rounds:detail", args=[ronde.pk])).content.decode()
    assert "Deze ronde is gesloten voor aanlevering" in page
    assert 'name="bestand"' not in page
    with partner_file(3).open("rb") as handle:
        response = client.post(
            reverse("rounds:aanleveren", args=[ronde.pk]), {"bestand": handle}, follow=True
        )
    assert "gesloten voor aanlevering; er is niets ingelezen" in response.content.decode()
    assert not Upload.objects.exists()

    client.force_login(people["coordinator"])
    client.post(status_url, {"open": "1"})
    ronde.refresh_from_db()
    assert ronde.open is True


def test_only_organisers_may_close_a_round(client, ronde, people):
    status_url = reverse("rounds:status", args=[ronde.pk])
    client.force_login(people["partner_user"])
    assert client.post(status_url, {"open": "0"}).status_code == 403
    client.force_login(people["outsider"])
    assert client.post(status_url, {"open": "0"}).status_code == 404
    client.force_login(people["coordinator"])
    assert client.get(status_url).status_code == 405
    ronde.refresh_from_db()
    assert ronde.open is True


def test_the_api_refuses_a_delivery_to_a_closed_round(ronde, people, partner_file):
    from rest_framework.test import APIClient

    Round.objects.filter(pk=ronde.pk).update(open=False)
    api = APIClient()
    api.force_authenticate(people["partner_user"])
    with partner_file(2).open("rb") as handle:
        response = api.post(
            reverse("api:aanleveringen", args=[ronde.pk]), {"bestand": handle}, format="multipart"
        )
    assert response.status_code == 409
    assert "gesloten voor aanlevering" in response.json()["detail"]
    assert not Upload.objects.exists()
