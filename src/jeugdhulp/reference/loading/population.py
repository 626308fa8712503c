"""Population by area, year, sex and age band."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from django.db import transaction

from jeugdhulp.core.bulk import insert_rows
from jeugdhulp.data import mergers
from jeugdhulp.data.errors import InputError, Problem
from jeugdhulp.data.population import read_population
from jeugdhulp.reference.loading.areas import refresh_centroids
from jeugdhulp.reference.loading.common import LoadReport, audit_load, resolve_codes
from jeugdhulp.reference.models import PopulationCount


def load_population(
    path: str | Path, *, vintage: str | None = None, year: int | None = None
) -> LoadReport:
    frame = read_population(path, year=year)
    return store_population(frame, vintage=vintage, source=Path(path).name)


@transaction.atomic
def store_population(frame: pd.DataFrame, *, vintage: str | None = None, source: str) -> LoadReport:
    """Store population rows (the tidy layout). Rows of an (area, year) present in the frame
    replace the stored rows of that area and year."""
    if frame["year"].isna().any():
        raise InputError(
            Problem(
                "het jaar van de telling is onbekend: geef het op (optie --year) of zet een "
                "kolom year in het bestand.",
                file=source,
                kind="jaar",
            ),
            source,
        )
    vintage, known, warnings, merged = resolve_codes(
        frame["area_code"], vintage, source, None, "gebied"
    )
    report = LoadReport(warnings=warnings)
    codes = frame["area_code"].map(lambda c: c if c in known else mergers.MERGERS_2025.get(c, c))
    frame = frame.assign(area_code=codes)[codes.isin(known)]
    if merged:
        keys = ["area_code", "year", "sex", "age_from", "age_to"]
        frame = frame.groupby(keys, dropna=False)["population"].sum().reset_index()
    frame = frame.assign(area_id=frame["area_code"].map(known))
    pairs = set(zip(frame["area_id"], frame["year"].astype(int), strict=True))
    area_ids = {a for a, _ in pairs}
    years = {y for _, y in pairs}
    stored = {
        (area_id, year, sex, age_from, age_to): (pk, population)
        for pk, area_id, year, sex, age_from, age_to, population in PopulationCount.objects.filter(
            area_id__in=area_ids, year__in=years
        ).values_list("pk", "area_id", "year", "sex", "age_from", "age_to", "population")
        if (area_id, year) in pairs
    }
    to_create, to_update, seen = [], [], set()
    for area_id, year, sex, age_from, age_to, population in zip(
        frame["area_id"],
        frame["year"].astype(int),
        frame["sex"],
        frame["age_from"],
        frame["age_to"],
        frame["population"],
        strict=True,
    ):
        top = None if pd.isna(age_to) else int(age_to)
        key = (int(area_id), int(year), sex, int(age_from), top)
        seen.add(key)
        row = stored.get(key)
        if row is None:
            to_create.append((*key, float(population)))
        elif row[1] != float(population):
            to_update.append(PopulationCount(pk=row[0], population=float(population)))
        else:
            report.unchanged += 1
    stale = [pk for key, (pk, _) in stored.items() if key not in seen]
    PopulationCount.objects.filter(pk__in=stale).delete()
    _insert_population(to_create)
    PopulationCount.objects.bulk_update(to_update, ["population"], batch_size=2000)
    report.created, report.updated, report.deleted = len(to_create), len(to_update), len(stale)
    if report.created or report.updated or report.deleted:
        refresh_centroids(vintage)
        audit_load("bevolking", source, report)
    return report


def _insert_population(rows: list[tuple]) -> None:
    """Insert (area_id, year, sex, age_from, age_to, population) rows from plain tuples:
    building tens of thousands of model instances for bulk_create is ten times slower, and
    these rows have no signals to run (``audit_log = False``; the load itself is audited)."""
    insert_rows(
        PopulationCount, ("area_id", "year", "sex", "age_from", "age_to", "population"), rows
    )
