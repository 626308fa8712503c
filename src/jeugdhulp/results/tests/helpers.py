"""Building stored runs in the test database from the small analysed region."""

from __future__ import annotations

import datetime as dt

from jeugdhulp.analysis.tests import fixtures
from jeugdhulp.reference.loading.areas import store_areas
from jeugdhulp.reference.loading.population import store_population
from jeugdhulp.reference.loading.sites import store_sites
from jeugdhulp.reference.models import AreaLevel
from jeugdhulp.results import inputs as run_inputs
from jeugdhulp.results.inputs import RoundInfo

VINTAGE = "2025"


def store_reference(small_inputs) -> list[str]:
    """The grid areas (as municipalities), their population and the three sites."""
    store_areas(small_inputs["areas"], niveau=AreaLevel.GEMEENTE, vintage=VINTAGE, source="test")
    store_population(small_inputs["population"], vintage=VINTAGE, source="test")
    store_sites(small_inputs["sites"], source="test")
    return sorted(small_inputs["areas"]["code"])


def round_info(region, partners=(), *, ronde_id=1, peildatum=fixtures.PEILDATUM, codes=()):
    return RoundInfo(
        ronde_id=ronde_id,
        naam=f"Foto {peildatum.year} (test)",
        peildatum=peildatum,
        organisatie=region,
        partners=list(partners),
        threshold=5,
        municipality_codes=list(codes),
        vintage=VINTAGE,
    )


def inputs_from_reference(snapshot_by_round: dict[int, object]):
    """A ``round_inputs`` replacement: the given snapshot per round id on the stored reference
    data (the rounds app's snapshot rows are the only part left out)."""

    def build(run):
        return run_inputs.reference_inputs(
            run.parameters["gemeenten"],
            snapshot_by_round[run.ronde_id],
            params=run_inputs.run_params(run),
            vintage=run.parameters["gebiedsversie"],
        )

    return build


def later(snapshot, years: int = 1):
    """The same children a year later (birth years shifted, so ages stay the same)."""
    moved = snapshot.copy()
    moved["geboortejaar"] = moved["geboortejaar"] + years
    moved["startdatum"] = moved["startdatum"] + dt.timedelta(days=365 * years)
    return moved
