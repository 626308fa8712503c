"""A round in the test region with one invited partner and its users."""

from __future__ import annotations

import datetime as dt

import pytest

from jeugdhulp.snapshot.synthetic import synthetic_snapshot

PEILDATUM = dt.date(2023, 2, 10)


def seed_catalogue() -> None:
    """The forms of help the migrations seed; a test with ``transaction=True`` flushes them, so
    the next round seeds them again (``ronde`` is imported by other apps' tests: no new
    fixture it depends on)."""
    from jeugdhulp.reference.models import HulpVorm
    from jeugdhulp.snapshot.catalogue import HULPVORMEN

    for item in HULPVORMEN.values():
        HulpVorm.objects.get_or_create(
            code=item.code, defaults={"label": item.label, "usual_access": item.usual_access}
        )


@pytest.fixture
def ronde(network, make_user):
    from jeugdhulp.reference.models import HulpVorm, Site
    from jeugdhulp.rounds.models import Round

    ronde = Round.objects.create(
        naam="Foto test", peildatum=PEILDATUM, organisatie=network["region"]
    )
    ronde.partners.add(network["partner"], network["partner2"])
    seed_catalogue()
    ronde.hulpvormen.set(HulpVorm.objects.all())
    for code in ("V001", "V002"):
        Site.objects.create(code=code, naam=code, organisatie=network["partner"], lon=5.3, lat=50.9)
    return ronde


@pytest.fixture
def people(network, make_user):
    return {
        "partner_user": make_user("medewerker_voorziening", network["partner"], username="mw"),
        "coordinator": make_user("coordinator", network["region"], username="coord"),
        "outsider": make_user("medewerker_voorziening", network["outsider"], username="buiten"),
    }


@pytest.fixture
def partner_file(tmp_path):
    """``partner_file(rows=20, **changes_to_row_0)`` -> a CSV a partner could deliver."""

    def write(rows: int = 20, name: str = "levering.csv", seed: int = 1, **changes):
        frame = synthetic_snapshot(
            rows,
            peildatum=PEILDATUM,
            sites=["V001", "V002"],
            residences=["3600", "3500"],
            seed=seed,
        )
        for column, value in changes.items():
            frame.loc[0, column] = value
        path = tmp_path / name
        frame.to_csv(path, sep=";", index=False)
        return path

    return write
