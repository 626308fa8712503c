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

from jeugdhulp.data.mergers import MERGERS_2025
from jeugdhulp.data.postcodes import postcode_table
from jeugdhulp.reference import services as reference
from jeugdhulp.reference.models import Area
from jeugdhulp.results.geometry import simplified
from jeugdhulp.snapshot.catalogue import HULPVORMEN


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


@dataclass
class RoundInputs:
    peildatum: dt.date
    threshold: int
    areas: gpd.GeoDataFrame
    map_areas: gpd.GeoDataFrame
    population: pd.DataFrame
    snapshot: pd.DataFrame
    centroids: pd.DataFrame
    sites: gpd.GeoDataFrame | None
    covariates: pd.DataFrame | None
    vintage: str
    postcodes: pd.DataFrame | None = None
    code_aliases: dict | None = None
    catalogue: tuple[str, ...] = tuple(HULPVORMEN)

    def describe(self, checksum: Callable[[pd.DataFrame], str]) -> list[dict]:
        """The manifest's inputs: what each table is, its size and checksum."""
        tables = {
            "gebieden": self.areas,
            "bevolking": self.population,
            "foto": self.snapshot,
            "vestigingen": self.sites,
            "covariaten": self.covariates,
        }
        return [
            {"rol": role, "bron": "databank", "rijen": len(frame), "sha256": checksum(frame)}
            for role, frame in tables.items()
            if frame is not None
        ] + [{"rol": "gebiedsversie", "bron": "databank", "waarde": self.vintage}]


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
    peildatum: dt.date,
    threshold: int,
    vintage: str | None = None,
) -> RoundInputs:
    """Everything ``run_analysis`` needs for these municipalities and snapshot rows."""
    vintage = vintage or reference.latest_vintage()
    codes = analysis_areas(municipality_codes, vintage, snapshot["woonplaats"].astype(str))
    full = reference.areas_frame(codes, vintage=vintage)
    outline = reference.areas_frame(codes, vintage=vintage, simplified=True)
    covariates = reference.covariates_frame(codes, vintage=vintage)
    sites = reference.sites_frame(snapshot["hulpvorm"].unique())
    return RoundInputs(
        peildatum=peildatum,
        threshold=threshold,
        areas=full[["code", "naam", "geometry"]],
        map_areas=simplified(outline[["code", "naam", "geometry"]], full),
        population=reference.population_frame(codes, vintage=vintage),
        snapshot=snapshot,
        centroids=reference.centroids_frame(codes, vintage=vintage),
        sites=sites if len(sites) else None,
        covariates=covariates if len(covariates.columns) > 1 else None,
        vintage=vintage,
        postcodes=postcode_table(),
        code_aliases=MERGERS_2025,
    )


def round_info(ronde) -> RoundInfo:
    """What a run keeps of a ``rounds.Round``."""
    from jeugdhulp.reference.services import area_set_codes

    return RoundInfo(
        ronde_id=ronde.pk,
        naam=ronde.naam,
        peildatum=ronde.peildatum,
        organisatie=ronde.organisatie,
        partners=list(ronde.partners.all()),
        threshold=ronde.drempel,
        municipality_codes=area_set_codes(ronde.regio) if ronde.regio_id else [],
    )


def round_inputs(run) -> RoundInputs:
    """The inputs of a run: the round's active snapshot rows on the reference data."""
    from jeugdhulp.rounds.models import Round
    from jeugdhulp.rounds.services import round_snapshot

    snapshot = round_snapshot(Round.objects.get(pk=run.ronde_id))
    return reference_inputs(
        list(run.parameters["gemeenten"]),
        snapshot,
        peildatum=run.peildatum,
        threshold=int(run.parameters["threshold"]),
        vintage=run.parameters.get("gebiedsversie"),
    )
