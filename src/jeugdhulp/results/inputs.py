"""What a run analyses, read from the database as the analysis' DataFrames.

The round (``jeugdhulp.rounds``) tells which region, peildatum, partners and snapshot rows; the
reference data (``jeugdhulp.reference.services``) give areas, population, covariates and sites.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from jeugdhulp.analysis.pipeline import AnalysisInputs, AnalysisParams
from jeugdhulp.reference import services as reference
from jeugdhulp.reference.models import Area
from jeugdhulp.reference.services import area_set_codes
from jeugdhulp.results.geometry import simplified
from jeugdhulp.rounds.models import Round
from jeugdhulp.rounds.services import round_snapshot


@dataclass
class RoundInfo:
    """The facts of a round a run keeps (see ``AnalysisRun``)."""

    ronde_id: int
    naam: str
    peildatum: dt.date
    organisatie: object  # accounts.Organisation of the region (IROJ)
    partners: list  # invited accounts.Organisation
    threshold: int
    municipality_codes: list[str]  # the region's municipalities
    vintage: str | None = None  # of the areas (default: the latest)


@dataclass(frozen=True)
class RoundInputs:
    """A run's :class:`AnalysisInputs` read from the database, with what the web app keeps
    beside the result: the simplified outlines for the map and the areas' version."""

    analysis: AnalysisInputs
    map_areas: gpd.GeoDataFrame
    vintage: str

    def describe(self, checksum: Callable[[pd.DataFrame], str]) -> list[dict]:
        """The manifest's inputs: what each table is, its size and checksum."""
        tables = {
            "gebieden": self.analysis.areas,
            "bevolking": self.analysis.population,
            "foto": self.analysis.snapshot,
            "vestigingen": self.analysis.sites,
            "covariaten": self.analysis.covariates,
        }
        return [
            {"rol": role, "bron": "databank", "rijen": len(frame), "sha256": checksum(frame)}
            | _year_of(frame)
            for role, frame in tables.items()
            if frame is not None
        ] + [{"rol": "gebiedsversie", "bron": "databank", "waarde": self.vintage}]


def _year_of(frame: pd.DataFrame) -> dict:
    """``{"jaar": ...}`` of a table with a ``year`` column (the population): the map images
    name it in their source line."""
    if "year" not in frame.columns or frame["year"].isna().all():
        return {}
    return {"jaar": int(frame["year"].max())}


def analysis_areas(municipality_codes: list[str], vintage: str, residences: pd.Series) -> list[str]:
    """The areas to analyse: the sub-areas of the region's municipalities when the snapshot's
    residences are given at that level (most of them are sub-area codes), else the
    municipalities themselves."""
    children = list(
        Area.objects.filter(
            parent__code__in=municipality_codes, parent__vintage=vintage, vintage=vintage
        ).values_list("code", flat=True)
    )
    if children and residences.isin(children).mean() > 0.5:
        return sorted(children)
    return sorted(municipality_codes)


def reference_inputs(
    municipality_codes: list[str],
    snapshot: pd.DataFrame,
    *,
    params: AnalysisParams,
    vintage: str | None = None,
) -> RoundInputs:
    """Everything ``run_analysis`` needs for these municipalities and snapshot rows."""
    vintage = vintage or reference.latest_vintage()
    codes = analysis_areas(municipality_codes, vintage, snapshot["woonplaats"].astype(str))
    full = reference.areas_frame(codes, vintage=vintage)
    outline = reference.areas_frame(codes, vintage=vintage, simplified=True)
    covariates = reference.covariates_frame(codes, vintage=vintage)
    sites = reference.sites_frame(snapshot["hulpvorm"].unique())
    analysis = AnalysisInputs.flemish(
        full[["code", "naam", "geometry"]],
        reference.population_frame(codes, vintage=vintage),
        snapshot,
        params,
        centroids=reference.centroids_frame(codes, vintage=vintage),
        sites=sites if len(sites) else None,
        covariates=covariates if len(covariates.columns) > 1 else None,
    )
    return RoundInputs(
        analysis=analysis,
        map_areas=simplified(outline[["code", "naam", "geometry"]], full),
        vintage=vintage,
    )


def round_info(ronde) -> RoundInfo:
    """What a run keeps of a ``rounds.Round``."""
    return RoundInfo(
        ronde_id=ronde.pk,
        naam=ronde.naam,
        peildatum=ronde.peildatum,
        organisatie=ronde.organisatie,
        partners=list(ronde.partners.all()),
        threshold=ronde.drempel,
        municipality_codes=area_set_codes(ronde.regio) if ronde.regio_id else [],
    )


def run_params(run) -> AnalysisParams:
    """The analysis parameters of an ``AnalysisRun`` (its peildatum and stored parameters)."""
    return AnalysisParams(
        peildatum=run.peildatum,
        seed=int(run.parameters["seed"]),
        permutations=int(run.parameters["permutations"]),
        threshold=int(run.parameters["threshold"]),
    )


def round_inputs(run) -> RoundInputs:
    """The inputs of a run: the round's active snapshot rows on the reference data."""
    snapshot = round_snapshot(Round.objects.get(pk=run.ronde_id))
    return reference_inputs(
        list(run.parameters["gemeenten"]),
        snapshot,
        params=run_params(run),
        vintage=run.parameters.get("gebiedsversie"),
    )
