"""The demo's triage step: the network's rule set and assessments on part of its requests."""

import random

import pytest

from jeugdhulp.aanmeldingen.tests.conftest import registration
from jeugdhulp.aanmeldingen.workflow import register
from jeugdhulp.accounts.models import User
from jeugdhulp.demo.organisations import build_organisations_and_accounts
from jeugdhulp.demo.triage import build_triage
from jeugdhulp.triage.models import Assessment, RuleSet


@pytest.mark.django_db
def test_demo_triage_assesses_part_of_the_requests_and_is_idempotent(municipalities, field_keys):
    build_organisations_and_accounts("demo-wachtwoord-2026")
    registrant = User.objects.get(username="demo-aanmelder")
    for i in range(20):
        register(registrant, registration(partners=["DEMO-CGG"], naam=f"Fictief {i}"))
    lines = build_triage(random.Random("7:triage"))
    assessed = Assessment.objects.count()
    assert 5 <= assessed < 20
    assert "fictief" in lines[0]
    assert RuleSet.objects.get(organisatie__code="DEMO-1G1P").versies.count() == 1
    assert set(Assessment.objects.values_list("regelset_versie__regelset__naam", flat=True)) == {
        "Triageregels Demo-Noord (fictief)"
    }
    assert Assessment.objects.exclude(beslissing="").exists()
    build_triage(random.Random("7:triage"))
    assert Assessment.objects.count() == assessed
