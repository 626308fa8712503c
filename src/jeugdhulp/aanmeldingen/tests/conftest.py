"""A small world for the request monitor: a network with two partners, one outside it, and a
user per role."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.fernet import Fernet

from jeugdhulp.accounts.models import OrganisationKind, Role

TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def field_keys(settings):
    # A fast hasher: the world creates nine accounts per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.JEUGDHULP_FIELD_KEYS = [TEST_KEY]
    return settings.JEUGDHULP_FIELD_KEYS


@pytest.fixture
def municipalities(db):
    from jeugdhulp.reference.models import Area, AreaLevel

    for code, naam in [("71016", "Genk"), ("71072", "Hasselt"), ("73111", "Tongeren-Borgloon")]:
        Area.objects.create(code=code, naam=naam, niveau=AreaLevel.GEMEENTE, vintage="2025")
    return ["71016", "71072", "73111"]


@pytest.fixture
def world(network, make_user, make_organisation, municipalities):
    """Users: registrant (at partner2, a CLB), provider (partner), provider2 (partner2),
    coordinator (of the network), outsiders (provider and coordinator of another network),
    analist (region), beheerder."""
    operator = make_organisation(OrganisationKind.ANDERE, code="BEHEER")
    users = {
        "aanmelder": make_user(Role.AANMELDER, network["partner2"], username="aanmelder"),
        "collega": make_user(Role.AANMELDER, network["partner2"], username="collega"),
        "voorziening": make_user(
            Role.MEDEWERKER_VOORZIENING, network["partner"], username="voorziening"
        ),
        "voorziening2": make_user(
            Role.MEDEWERKER_VOORZIENING, network["partner2"], username="voorziening2"
        ),
        "coordinator": make_user(Role.COORDINATOR, network["network"], username="coordinator"),
        "andere_voorziening": make_user(
            Role.MEDEWERKER_VOORZIENING, network["outsider"], username="andere_voorziening"
        ),
        "andere_coordinator": make_user(
            Role.COORDINATOR, network["other_network"], username="andere_coordinator"
        ),
        "analist": make_user(Role.ANALIST, network["region"], username="analist"),
        "beheerder": make_user(Role.BEHEERDER, operator, username="beheerder"),
    }
    return {**network, **users, "gemeenten": municipalities}


def registration(**changes):
    from jeugdhulp.aanmeldingen.workflow import Registration

    data = {
        "kanaal": "hulpverlener_met_gezin",
        "gemeente": "71016",
        "geboortejaren": [2015, 2018],
        "domeinen": ["opvoeding", "school"],
        "urgentie": "gemiddeld",
        "toestemming": True,
        "partners": ["IN-1"],
        "naam": "Gezin Fictief",
        "telefoon": "089 12 34 56",
        "email": "gezin.fictief@example.invalid",
        "aangemeld_op": dt.date.today() - dt.timedelta(days=10),
    }
    data.update(changes)
    return Registration(**data)


@pytest.fixture
def request_in(world):
    """A request registered by the registrant, addressed to partner IN-1."""
    from jeugdhulp.aanmeldingen.workflow import register

    return register(world["aanmelder"], registration())
