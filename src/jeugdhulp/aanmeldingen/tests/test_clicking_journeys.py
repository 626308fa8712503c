"""What a person meets when clicking through the request monitor (issue #14): the triage starts
from the request, a provider lands on the inbox, names instead of codes, every registration
error at once, idle partners in one line."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdhulp.aanmeldingen.kpi import Figures
from jeugdhulp.aanmeldingen.models import Aanmelding
from jeugdhulp.aanmeldingen.views import split_idle_partners
from jeugdhulp.aanmeldingen.workflow import Event, add_event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "may_start"), [("aanmelder", True), ("voorziening", True), ("coordinator", False)]
)
def test_the_request_page_starts_a_triage_for_those_allowed(
    client, world, request_in, who, may_start
):
    client.force_login(world[who])
    text = client.get(reverse("aanmeldingen:detail", args=[request_in.pk])).content.decode()
    link = reverse("triage:nieuw", args=[request_in.pk])
    assert (f'href="{link}"' in text) == may_start
    if may_start:
        form = client.get(link).content.decode()
        assert "Genk" in form  # the request's municipality, carried into the triage form


def test_the_request_page_lists_its_assessments(client, world, request_in):
    from jeugdhulp.triage import services
    from jeugdhulp.triage.codes import STEP_ITEM_CODES

    assessment = services.create_assessment(
        world["aanmelder"], request_in, ["A"], dict.fromkeys(STEP_ITEM_CODES, 1)
    )
    client.force_login(world["voorziening"])
    text = client.get(reverse("aanmeldingen:detail", args=[request_in.pk])).content.decode()
    assert reverse("triage:detail", args=[assessment.pk]) in text


def test_lists_and_the_request_page_name_the_municipality(client, world, request_in):
    client.force_login(world["aanmelder"])
    listing = client.get(reverse("aanmeldingen:lijst")).content.decode()
    page = client.get(reverse("aanmeldingen:detail", args=[request_in.pk])).content.decode()
    for text in (listing, page):
        assert "<td>Genk</td>" in text or "<dd>Genk</dd>" in text
        assert "71016" not in text


def test_the_history_names_the_form_of_help(client, world, request_in):
    from jeugdhulp.reference.models import HulpVorm

    label = HulpVorm.objects.get(code="BH").label  # the catalogue ships with the platform
    add_event(world["voorziening"], request_in.pk, Event("eerste_gesprek"))
    add_event(
        world["voorziening"],
        request_in.pk,
        Event("hulp_gestart", organisatie="IN-1", hulpvorm="BH"),
    )
    client.force_login(world["aanmelder"])
    page = client.get(reverse("aanmeldingen:detail", args=[request_in.pk]))
    history = page.content.decode().split('id="verloop-titel"')[1].split("</table>")[0]
    assert label in history and ") BH" not in history


def test_a_provider_lands_on_the_inbox(client, world, request_in):
    client.force_login(world["voorziening"])
    response = client.get(reverse("aanmeldingen:lijst"))
    assert response.context["current"] == "inbox"
    assert request_in in response.context["page"].object_list
    assert [key for key, _label in response.context["tabs"]] == ["inbox", "mijn"]
    client.force_login(world["aanmelder"])
    assert client.get(reverse("aanmeldingen:lijst")).context["current"] == "mijn"


def test_every_registration_error_shows_after_one_submit(client, world):
    client.force_login(world["aanmelder"])
    # No name, no phone or e-mail, no consent (the service's rules) and no municipality, no
    # domain, no partner, bad birth years (the form's own checks): all at once.
    response = client.post(
        reverse("aanmeldingen:nieuw"),
        {"geboortejaren": "twintig", "urgentie": "hoog", "kanaal": "hulpverlener_met_gezin"},
    )
    errors = response.context["form"].errors
    assert set(errors) >= {
        "naam",
        "telefoon",
        "toestemming",
        "gemeente",
        "geboortejaren",
        "domeinen",
        "partners",
    }
    assert not Aanmelding.objects.exists()


def test_partners_without_requests_are_summed_up_in_one_line(client, world, request_in):
    client.force_login(world["coordinator"])
    response = client.get(reverse("aanmeldingen:dashboard"), {"netwerk": "NET-T"})
    text = response.content.decode()
    busy = [org.code for org, _f in response.context["busy_partners"]]
    assert busy == ["IN-1"]
    assert "1 partner zonder aanmeldingen in deze periode" in text


def test_a_hidden_count_is_never_taken_for_an_idle_partner():
    busy, idle = split_idle_partners(
        [
            ("zero", Figures(aantal=0)),
            ("hidden", Figures(aantal=None)),
            ("waiting", Figures(aantal=0, open_wachtlijst=2)),
            ("some", Figures(aantal=7)),
        ]
    )
    assert [name for name, _f in idle] == ["zero"]
    assert [name for name, _f in busy] == ["hidden", "waiting", "some"]
