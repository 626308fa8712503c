"""Asking local professionals for their duiding: the coördinator's request, the e-mailed personal
links, and what a link may and may not do."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jeugdhulp.accounts.models import OrganisationKind, Role
from jeugdhulp.audit.models import AuditAction, AuditEvent
from jeugdhulp.results.duiding_models import Duiding, DuidingUitnodiging, DuidingVerzoek
from jeugdhulp.results.duiding_verzoek import hash_token
from jeugdhulp.results.models import IndicatorRow


@pytest.fixture
def people(done_run, make_user, make_organisation):
    return {
        "coordinator": make_user(Role.COORDINATOR, done_run["region"]),
        "analist": make_user(Role.ANALIST, done_run["region"]),
        "partner": make_user(Role.MEDEWERKER_VOORZIENING, done_run["partner"]),
        "outsider": make_user(
            Role.COORDINATOR, make_organisation(OrganisationKind.IROJ, code="IROJ-ANDER")
        ),
    }


def _ask(client, run, areas="A00, A01", emails="huisarts@example.org\njeugdwerk@example.org"):
    with_commit = client.post(
        reverse("results:duiding_vragen", args=[run.pk]),
        {"gebieden": areas, "emails": emails, "dagen": 30},
    )
    return with_commit


def _links(outbox) -> dict[str, str]:
    found = {}
    for message in outbox:
        (url,) = re.findall(r"https?://\S+/duiding/\S+/", message.body)
        found[message.to[0]] = url.split("://", 1)[1].split("/", 1)[1]
    return {email: "/" + path for email, path in found.items()}


@pytest.fixture
def asked(client, done_run, people, django_capture_on_commit_callbacks):
    client.force_login(people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = _ask(client, done_run["run"])
    assert answer.status_code == 302
    client.logout()
    return _links(mail.outbox)


def _answer(client, link, code="A00", index=0, **fields):
    data = {"gebied": code, f"g{index}-herkend": "herkend", f"g{index}-toelichting": ""}
    data |= {f"g{index}-{k}": v for k, v in fields.items()}
    return client.post(link, data)


def test_each_person_gets_their_own_link_and_only_its_hash_is_stored(asked):
    assert sorted(asked) == ["huisarts@example.org", "jeugdwerk@example.org"]
    assert len(set(asked.values())) == 2
    for link in asked.values():
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert len(token) >= 40
        assert not DuidingUitnodiging.objects.filter(token_hash=token).exists()
        assert DuidingUitnodiging.objects.filter(token_hash=hash_token(token)).exists()
    assert "Vraag om uw duiding" in mail.outbox[0].subject


def test_the_professional_answers_without_an_account_and_sees_only_the_requested_areas(
    client, asked, done_run
):
    link = asked["huisarts@example.org"]
    page = client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Gebied A00" in text and "Gebied A01" in text and "Gebied A02" not in text
    assert "Gladgestreken verhouding" in text
    answer = _answer(
        client,
        link,
        factoren=["actieve_huisarts"],
        toelichting="Ken de buurt.",
        organisatie_tekst="Huisartsenpraktijk",
    )
    assert answer.status_code == 302
    saved = Duiding.objects.get()
    assert saved.auteur is None and saved.organisatie_tekst == "Huisartsenpraktijk"
    assert saved.factoren == ["actieve_huisarts"]
    # Answering again changes the same duiding.
    _answer(client, link, herkend="weet_niet")
    assert Duiding.objects.get().herkend == "weet_niet"
    # The region sees it with the organisation the person gave.
    assert saved.organisatie_naam == "Huisartsenpraktijk"


def test_an_area_not_in_the_request_is_refused(client, asked):
    link = asked["huisarts@example.org"]
    assert _answer(client, link, code="A02").status_code == 404
    assert _answer(client, link, code="A00'").status_code == 404
    assert not Duiding.objects.exists()


def test_one_persons_link_never_changes_another_persons_duiding(client, asked):
    _answer(client, asked["huisarts@example.org"], toelichting="Van de huisarts.")
    _answer(client, asked["jeugdwerk@example.org"], herkend="niet_herkend")
    assert Duiding.objects.count() == 2
    mine = Duiding.objects.get(uitnodiging__email="huisarts@example.org")
    assert mine.herkend == "herkend" and mine.toelichting == "Van de huisarts."
    # The other person's page shows their own answer, not the huisarts' text.
    assert "Van de huisarts." not in client.get(asked["jeugdwerk@example.org"]).content.decode()


@pytest.mark.parametrize("how", ["expired", "revoked", "wrong", "truncated"])
def test_a_dead_link_opens_nothing(client, asked, how):
    link = asked["huisarts@example.org"]
    if how == "expired":
        DuidingVerzoek.objects.update(vervalt_op=timezone.now() - dt.timedelta(seconds=1))
    elif how == "revoked":
        DuidingUitnodiging.objects.filter(email="huisarts@example.org").update(ingetrokken=True)
    elif how == "wrong":
        link = link[:-3] + ("A/" if link[-2] != "A" else "B/")
    else:
        link = link[:-10] + "/"
    page = client.get(link)
    assert page.status_code == 404 and "Deze link werkt niet" in page.content.decode()
    assert _answer(client, link).status_code == 404
    assert not Duiding.objects.exists()


def test_the_coordinator_revokes_a_link(client, asked, done_run, people):
    client.force_login(people["coordinator"])
    invitation = DuidingUitnodiging.objects.get(email="jeugdwerk@example.org")
    url = reverse("results:duiding_intrekken", args=[done_run["run"].pk, invitation.pk])
    assert client.post(url).status_code == 302
    client.logout()
    assert client.get(asked["jeugdwerk@example.org"]).status_code == 404
    assert client.get(asked["huisarts@example.org"]).status_code == 200


@pytest.mark.parametrize("who", ["analist", "partner", "outsider"])
def test_only_the_regions_coordinator_asks_and_revokes(client, done_run, people, who):
    run = done_run["run"]
    client.force_login(people[who])
    assert client.get(reverse("results:duiding_vragen", args=[run.pk])).status_code == 404
    assert _ask(client, run).status_code == 404
    assert not DuidingVerzoek.objects.exists() and not mail.outbox


def test_wrong_areas_and_addresses_get_dutch_messages(client, done_run, people):
    client.force_login(people["coordinator"])
    page = _ask(client, done_run["run"], areas="A00, ZZ99", emails="geen-adres").content.decode()
    assert "Deze gebieden komen niet voor in deze analyse: ZZ99" in page
    assert "Geen geldig e-mailadres: geen-adres" in page
    assert not DuidingVerzoek.objects.exists()


def test_the_link_is_rate_limited_per_client_address(client, asked, settings, monkeypatch):
    from jeugdhulp.results import duiding_verzoek

    monkeypatch.setattr(duiding_verzoek, "ANSWERS_PER_HOUR", 3)
    link = asked["huisarts@example.org"]
    assert [client.get(link).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_answers_are_audited_under_the_invitation_never_the_token(client, asked):
    link = asked["huisarts@example.org"]
    _answer(client, link)
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = DuidingUitnodiging.objects.get(email="huisarts@example.org")
    event = AuditEvent.objects.get(object_type="results.duiding", action=AuditAction.CREATE)
    assert event.username == f"duiding-uitnodiging-{invitation.pk}"
    assert not AuditEvent.objects.filter(path__contains=token).exists()
    created = AuditEvent.objects.filter(
        object_type="results.duidinguitnodiging", action=AuditAction.CREATE
    )
    assert created.count() == 2


def test_the_coordinator_ticks_hotspots_and_blue_zones_instead_of_typing_codes(
    client, done_run, people
):
    run = done_run["run"]
    # Two areas labelled in the stored run, as the analysis labels them.
    IndicatorRow.objects.filter(run=run, hulpvorm="ALLE", gebied_code="A01").update(
        cluster="hotspot"
    )
    IndicatorRow.objects.filter(run=run, hulpvorm="ALLE", gebied_code="A02").update(
        cluster="blauwe_zone"
    )
    client.force_login(people["coordinator"])
    url = reverse("results:duiding_vragen", args=[run.pk])
    page = client.get(url).content.decode()
    assert 'name="gekozen" value="A01"' in page and 'name="gekozen" value="A02"' in page
    assert "hotspot" in page and "blauwe zone" in page
    chosen = {"gekozen": ["A02", "A01"], "gebieden": "A01, A00"}
    client.post(url, chosen | {"emails": "a@example.org", "dagen": 30})
    # Ticked and typed together, each once, in the order given.
    assert DuidingVerzoek.objects.get(run=run).gebieden == ["A02", "A01", "A00"]


def test_a_request_without_any_area_is_refused_in_dutch(client, done_run, people):
    run = done_run["run"]
    client.force_login(people["coordinator"])
    url = reverse("results:duiding_vragen", args=[run.pk])
    page = client.post(url, {"gebieden": "", "emails": "a@example.org", "dagen": 30})
    assert "Kies minstens één gebied" in page.content.decode()
    assert not DuidingVerzoek.objects.filter(run=run).exists()
