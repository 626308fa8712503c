"""Fixtures of the accounts tests: people around one partner, and a family's request."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.fernet import Fernet

from jeugdhulp.accounts.models import OrganisationKind, Role

PHONE = "089 12 34 56"


@pytest.fixture(autouse=True)
def _mail_and_keys(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.JEUGDHULP_FIELD_KEYS = [Fernet.generate_key().decode()]


@pytest.fixture
def people(network, make_user, make_organisation):
    beheer = make_organisation(OrganisationKind.ANDERE, code="BEHEER")
    return {
        "coordinator": make_user(Role.COORDINATOR, network["network"], username="coord"),
        "orgbeheerder": make_user(
            Role.ORGANISATIEBEHEERDER,
            network["partner"],
            username="orgbeheer",
            email="orgbeheer@example.invalid",
        ),
        "aanmelder": make_user(Role.AANMELDER, network["partner2"], username="aanmelder"),
        "beheerder": make_user(Role.BEHEERDER, beheer, username="bea"),
        "beheerder2": make_user(Role.BEHEERDER, beheer, username="bert"),
        "beheer": beheer,
    }


@pytest.fixture
def family_request(network, people):
    """A request addressed to partner IN-1, with the family's contact details."""
    from jeugdhulp.aanmeldingen.workflow import Registration, register
    from jeugdhulp.reference.models import Area, AreaLevel

    Area.objects.create(code="71016", naam="Genk", niveau=AreaLevel.GEMEENTE, vintage="2025")
    return register(
        people["aanmelder"],
        Registration(
            kanaal="hulpverlener_met_gezin",
            gemeente="71016",
            geboortejaren=[2015],
            domeinen=["opvoeding"],
            urgentie="gemiddeld",
            toestemming=True,
            partners=["IN-1"],
            naam="Gezin Fictief",
            telefoon=PHONE,
            email="gezin.fictief@example.invalid",
            aangemeld_op=dt.date.today() - dt.timedelta(days=3),
        ),
    )
