"""Socio-economic covariates per area and year."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction

from jeugdhulp.data import mergers
from jeugdhulp.data.covariates import read_covariates
from jeugdhulp.data.errors import InputError, Problem
from jeugdhulp.reference.loading.common import LoadReport, audit_load, resolve_codes
from jeugdhulp.reference.models import CovariateValue

# Words in a covariate's name that mark a count (summed when municipalities merge); other
# covariates (medians, means, shares, rates) become weighted means.
COUNT_WORDS = (
    "declarations",
    "aangiften",
    "residents",
    "inwoners",
    "population",
    "aantal",
    "count",
    "huishoudens",
    "households",
)
WEIGHT_COLUMNS = (
    "declarations",
    "aangiften",
    "residents",
    "inwoners",
    "population",
    "households",
    "huishoudens",
)


def load_covariates(
    path: str | Path,
    *,
    year: int | None = None,
    vintage: str | None = None,
    columns: Sequence[str] | None = None,
) -> LoadReport:
    frame = read_covariates(path, columns)
    return store_covariates(frame, year=year, vintage=vintage, source=Path(path).name)


@transaction.atomic
def store_covariates(
    frame: pd.DataFrame, *, year: int | None = None, vintage: str | None = None, source: str
) -> LoadReport:
    """Store covariates (``area_code`` and numeric columns). Codes of before the 2025 mergers
    are moved onto a 2025 vintage: counts summed, other columns as means weighted by a count
    column (declarations, residents, ...) and flagged as approximations."""
    year = year or frame.attrs.get("year")
    if year is None:
        raise InputError(
            Problem(
                "het jaar van de kenmerken is onbekend: geef het op (optie --year) of zet een "
                "kolom year in het bestand.",
                file=source,
                kind="jaar",
            ),
            source,
        )
    vintage, known, warnings, merged = resolve_codes(
        frame["area_code"], vintage, source, frame.attrs.get("source_rows"), "gebied"
    )
    report = LoadReport(warnings=warnings)
    names = [c for c in frame.columns if c != "area_code"]
    frame = frame[frame["area_code"].isin(known) | frame["area_code"].isin(mergers.MERGERS_2025)]
    approximate = pd.DataFrame(False, index=range(len(frame)), columns=names)
    if merged:
        weight = next((c for c in WEIGHT_COLUMNS if c in names), None)
        work = frame.assign(_weight=frame[weight] if weight else 1.0)
        rules = {
            c: mergers.SUM if any(w in c for w in COUNT_WORDS) else mergers.Weighted("_weight")
            for c in names
        }
        moved = mergers.to_2025(work, "area_code", rules)
        approximate = pd.DataFrame(
            {c: moved["approximate"] & (rules[c] != mergers.SUM) for c in names}
        )
        frame = moved[["area_code", *names]]
    stored = {
        (c.area_id, c.name): c
        for c in CovariateValue.objects.filter(
            area_id__in=[known[c] for c in frame["area_code"]], year=year, name__in=names
        )
    }
    to_create, to_update = [], []
    for position, code in enumerate(frame["area_code"]):
        for name in names:
            value = frame[name].iloc[position]
            if pd.isna(value):
                continue
            flag = bool(approximate[name].iloc[position])
            row = stored.get((known[code], name))
            if row is None:
                to_create.append(
                    CovariateValue(
                        area_id=known[code],
                        year=year,
                        name=name,
                        value=float(value),
                        approximate=flag,
                    )
                )
            elif not np.isclose(row.value, float(value), rtol=1e-12) or row.approximate != flag:
                row.value, row.approximate = float(value), flag
                to_update.append(row)
            else:
                report.unchanged += 1
    CovariateValue.objects.bulk_create(to_create, batch_size=2000)
    CovariateValue.objects.bulk_update(to_update, ["value", "approximate"], batch_size=2000)
    report.created, report.updated = len(to_create), len(to_update)
    if report.created or report.updated:
        audit_load("kenmerken", source, report)
    return report
