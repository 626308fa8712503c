"""The beheerder edits triage rules through a form (a row per rule), never as raw JSON; opening
the pages writes nothing."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from jeugdhulp.triage import engine, services
from jeugdhulp.triage.forms import rule_initial
from jeugdhulp.triage.models import RuleSet, RuleSetVersion
from jeugdhulp.triage.tests.test_triage_app import URGENT, network_rules

pytestmark = pytest.mark.django_db


def form_values(html: str) -> dict[str, str | list[str]]:
    """What a browser would submit from the page's form as it stands."""
    form = BeautifulSoup(html, "html.parser").select_one("main form[method=post]")
    data: dict = {}
    for field in form.select("input, select, textarea"):
        name = field.get("name")
        if not name:
            continue
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.name == "textarea":
            data[name] = field.get_text()
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def test_opening_the_rule_pages_stores_no_rule_set(client, world):
    client.force_login(world["beheerder"])
    assert client.get(reverse("triage:regelsets")).status_code == 200
    page = client.get(reverse("triage:regelset_standaard_bewerken"))
    assert page.status_code == 200
    assert "U1" in page.content.decode()  # the starter rules, shown as rows
    assert not RuleSet.objects.exists() and not RuleSetVersion.objects.exists()


def test_the_assessment_form_stores_no_rule_set_until_it_is_saved(client, world, request_in):
    client.force_login(world["aanmelder"])
    page = client.get(reverse("triage:nieuw", args=[request_in.pk]))
    assert services.DEFAULT_NAME in page.content.decode()
    assert not RuleSet.objects.exists()


def test_a_beheerder_changes_a_rule_through_the_form(client, world):
    ruleset = network_rules(world)
    client.force_login(world["beheerder"])
    url = reverse("triage:regelset_bewerken", args=[ruleset.pk])
    page = client.get(url).content.decode()
    assert "<textarea" not in page.split("toelichting")[0]  # no JSON box for the rules
    data = form_values(page)
    assert data["regel-0-code"] == "N1" and data["regel-0-v1_soort"] == "schaal"
    data.update({"regel-0-v1_waarde": "40", "toelichting": "te streng"})
    response = client.post(url, data)
    assert "kan nooit waar zijn" in response.content.decode()
    assert ruleset.versies.count() == 1
    data.update({"regel-0-v1_waarde": "10", "regel-0-prioriteit": "abc"})
    response = client.post(url, data)
    assert "Voer een geheel getal in." in response.content.decode()
    data.update({"regel-0-prioriteit": "5"})
    assert client.post(url, data).status_code == 302
    current = ruleset.current()
    assert current.versie == 2 and current.toelichting == "te streng"
    rule = current.regels["regels"][0]
    assert rule["prioriteit"] == 5 and rule["als"] == {**URGENT, "waarde": 10}
    client.force_login(world["coordinator"])
    assert client.get(url).status_code == 403


def test_a_beheerder_adds_and_deletes_rules_and_every_error_shows_at_once(client, world):
    ruleset = network_rules(world)
    client.force_login(world["beheerder"])
    url = reverse("triage:regelset_bewerken", args=[ruleset.pk])
    data = form_values(client.get(url).content.decode())
    data.update(
        {
            "regel-1-code": "N1",  # a second rule with the same code
            "regel-1-advies": engine.DIAGNOSTIEK,
            "regel-1-prioriteit": "2",
            "regel-1-v1_soort": "capj",
            "regel-1-v1_onderwerp": "F100",
            "toelichting": "",
        }
    )
    text = client.post(url, data).content.decode()
    assert "Elke regel heeft een eigen code." in text
    assert "Dit veld is vereist." in text  # the toelichting, in the same answer
    data.update({"regel-1-code": "C1", "toelichting": "CAP-J D"})
    text = client.post(url, data).content.decode()
    assert "&#x27;F100&#x27; is geen CAP-J-as" in text
    data.update({"regel-1-v1_onderwerp": "d, E200", "regel-0-DELETE": "on"})
    assert client.post(url, data).status_code == 302
    rules = ruleset.current().regels["regels"]
    assert [r["code"] for r in rules] == ["C1"]
    assert rules[0]["als"] == {"capj": ["D", "E200"]}


def test_the_platform_rules_are_stored_when_the_beheerder_saves_them(client, world):
    client.force_login(world["beheerder"])
    url = reverse("triage:regelset_standaard_bewerken")
    data = form_values(client.get(url).content.decode())
    data.update({"standaardadvies": engine.DIAGNOSTIEK, "toelichting": "twijfel: diagnostiek"})
    response = client.post(url, data)
    assert response.status_code == 302
    default = services.existing_default_ruleset()
    assert default.current().regels["standaardadvies"] == engine.DIAGNOSTIEK
    # every starter rule came back unchanged through the form
    assert default.current().regels["regels"] == engine.STARTER_RULESET["regels"]


def test_a_condition_the_form_cannot_show_is_kept_unchanged():
    complex_rule = {
        "code": "X",
        "advies": engine.VRIJ,
        "prioriteit": 1,
        "als": {"niet": {"capj": "D"}},
    }
    initial = rule_initial(complex_rule)
    assert "v1_soort" not in initial
    assert initial["bewaard"] == '{"niet": {"capj": "D"}}'
