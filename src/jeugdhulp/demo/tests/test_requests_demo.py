import datetime as dt

import numpy as np
import pytest

from jeugdhulp.aanmeldingen.models import Aanmelding, Gebeurtenis, Status
from jeugdhulp.demo.organisations import build_organisations_and_accounts
from jeugdhulp.demo.requests import PARTNERS, build_requests, simulate


@pytest.fixture(autouse=True)
def keys(settings):
    from cryptography.fernet import Fernet

    settings.JEUGDHULP_FIELD_KEYS = [Fernet.generate_key().decode()]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_simulated_requests_are_deterministic_and_never_in_the_future(db):
    build_organisations_and_accounts(None)
    from jeugdhulp.accounts.models import Organisation

    partners = {o.code: o for o in Organisation.objects.filter(code__in=list(PARTNERS))}
    today = dt.date(2026, 6, 30)
    first = simulate(np.random.default_rng(7), 300, today, partners, ["D1", "D2"])
    second = simulate(np.random.default_rng(7), 300, today, partners, ["D1", "D2"])
    assert [s.aanmelding.status for s in first] == [s.aanmelding.status for s in second]
    assert all(e.datum <= today for s in first for e, _ in s.events)
    states = {s.aanmelding.status for s in first}
    assert {Status.HULP_GESTART, Status.WACHTLIJST, Status.AFGESLOTEN} <= states


def test_build_requests_is_idempotent(db):
    build_organisations_and_accounts(None)
    today = dt.date.today()
    build_requests(1, ["D1"], today)
    count = Aanmelding.objects.count()
    assert count == 2000 and Gebeurtenis.objects.exists()
    assert "bestaan al" in build_requests(1, ["D1"], today)[0]
    assert Aanmelding.objects.count() == count
