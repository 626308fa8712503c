"""Putting reference data into the database: from files (``jeugdhulp load``) or from frames
(the demo). Every load is one transaction (a file with an error loads nothing), idempotent
(loading the same data again changes nothing), and a new vintage of areas sits beside the old.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from django.db import transaction

from jeugdhulp.accounts.models import Organisation
from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record
from jeugdhulp.core.bulk import insert_rows
from jeugdhulp.data import mergers
from jeugdhulp.data.areas import area_km2, centroids, equal_area_crs, read_areas
from jeugdhulp.data.codes import ascii_digits
from jeugdhulp.data.covariates import read_covariates
from jeugdhulp.data.errors import InputError, Problem, Severity
from jeugdhulp.data.population import read_population
from jeugdhulp.data.sites import read_sites
from jeugdhulp.reference.models import (
    Area,
    AreaLevel,
    CentroidMethod,
    CovariateValue,
    HulpVorm,
    PopulationCount,
    Site,
    SiteOffer,
)
from jeugdhulp.reference.services import (
    ALL_AGES,
    areas_frame,
    centroids_frame,
    latest_vintage,
    youth_population,
)

WGS84 = "EPSG:4326"
# Douglas-Peucker tolerance for the map geometry, in metres, per level.
SIMPLIFY_M = {AreaLevel.SECTOR: 10, AreaLevel.DEELGEMEENTE: 25, AreaLevel.GEMEENTE: 50}
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


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.created} nieuw, {self.updated} gewijzigd, {self.unchanged} ongewijzigd" + (
            f", {self.deleted} verwijderd" if self.deleted else ""
        )


def _audit(kind: str, source: str, report: LoadReport) -> None:
    record(
        AuditAction.UPDATE,
        f"{kind} geladen uit {source}: {report.summary()}",
        object_type=f"reference.load_{kind}",
    )


# --- areas ------------------------------------------------------------------------------------


def load_areas(
    path: str | Path,
    *,
    level: str,
    vintage: str,
    code_field: str | None = None,
    name_field: str | None = None,
    layer: str | None = None,
    parent_field: str | None = None,
    crs: str | None = None,
) -> LoadReport:
    frame = read_areas(
        path,
        code_field=code_field,
        name_field=name_field,
        layer=layer,
        parent_field=parent_field,
        crs=crs,
    )
    return store_areas(frame, level=level, vintage=vintage, source=Path(path).name)


@transaction.atomic
def store_areas(
    frame: gpd.GeoDataFrame,
    *,
    level: str,
    vintage: str,
    source: str,
    fictief: bool = False,
) -> LoadReport:
    """Store areas (``code``, ``naam``, ``geometry``, optional ``parent``) of one level and
    vintage. A parent is found among the areas of the same vintage by the ``parent`` code, or,
    for sectors and deelgemeenten, by the municipality code their code starts with."""
    report = LoadReport(warnings=list(frame.attrs.get("warnings", [])))
    wgs = frame.to_crs(WGS84)
    local = frame.to_crs(equal_area_crs(frame))
    tolerance = SIMPLIFY_M.get(level, 100)
    simplified = local.geometry.simplify(tolerance, preserve_topology=True).to_crs(WGS84)
    surface = area_km2(frame).to_numpy()
    middle = centroids(frame)
    parents = _parents(frame, level, vintage)
    existing = {
        a.code: a for a in Area.objects.filter(vintage=vintage, code__in=list(frame["code"]))
    }
    to_create, to_update = [], []
    fields = [
        "naam",
        "level",
        "parent_id",
        "geometry",
        "geometry_simplified",
        "area_km2",
        "centroid_lon",
        "centroid_lat",
        "centroid_method",
        "fictief",
        "bron",
    ]
    # Whole columns at once (shapely and numpy per array, not per row: 10,000 areas).
    outlines = shapely.to_geojson(shapely.set_precision(wgs.geometry.to_numpy(), 1e-6))
    outlines_simplified = shapely.to_geojson(shapely.set_precision(simplified.to_numpy(), 1e-5))
    names = frame["naam"].tolist()
    lons, lats = middle["lon"].to_numpy().tolist(), middle["lat"].to_numpy().tolist()
    for i, code in enumerate(frame["code"]):
        values = {
            "naam": names[i],
            "level": level,
            "parent_id": parents.get(code),
            "geometry": outlines[i],
            "geometry_simplified": outlines_simplified[i],
            "area_km2": round(float(surface[i]), 4),
            "centroid_lon": round(lons[i], 6),
            "centroid_lat": round(lats[i], 6),
            "centroid_method": CentroidMethod.GEOMETRIC,
            "fictief": fictief,
            "bron": source[:300],
        }
        area = existing.get(code)
        if area is None:
            to_create.append(Area(code=code, vintage=vintage, **values))
            continue
        if area.centroid_method == CentroidMethod.POPULATION:
            # keep a population-weighted centroid computed earlier from finer areas
            for key in ("centroid_lon", "centroid_lat", "centroid_method"):
                values[key] = getattr(area, key)
        if any(getattr(area, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(area, key, value)
            to_update.append(area)
        else:
            report.unchanged += 1
    Area.objects.bulk_create(to_create, batch_size=500)
    Area.objects.bulk_update(to_update, fields, batch_size=500)
    report.created, report.updated = len(to_create), len(to_update)
    _adopt_children(level, vintage)
    if report.created or report.updated:
        _audit("gebieden", source, report)
    return report


def _parents(frame: gpd.GeoDataFrame, level: str, vintage: str) -> dict[str, int]:
    candidates = dict(Area.objects.filter(vintage=vintage).values_list("code", "id"))
    found: dict[str, int] = {}
    for i, code in enumerate(frame["code"]):
        parent_code = frame["parent"].iloc[i] if "parent" in frame.columns else None
        if not parent_code and level in (AreaLevel.SECTOR, AreaLevel.DEELGEMEENTE):
            parent_code = code[:5]
        if parent_code and parent_code in candidates and parent_code != code:
            found[code] = candidates[parent_code]
    return found


def _adopt_children(level: str, vintage: str) -> None:
    """Finer areas loaded before their municipalities get their parent now."""
    if level != AreaLevel.GEMEENTE:
        return
    parents = dict(Area.objects.filter(vintage=vintage, level=level).values_list("code", "id"))
    orphans = Area.objects.filter(
        vintage=vintage,
        level__in=[AreaLevel.SECTOR, AreaLevel.DEELGEMEENTE],
        parent__isnull=True,
    )
    by_parent: dict[int, list[int]] = {}
    for child_id, code in orphans.values_list("id", "code"):
        if code[:5] in parents:
            by_parent.setdefault(parents[code[:5]], []).append(child_id)
    # Plain updates: deferred-field instances would not survive the audit's post_init hook.
    for parent_id, ids in by_parent.items():
        Area.objects.filter(id__in=ids).update(parent_id=parent_id)


def refresh_centroids(vintage: str) -> int:
    """Population-weighted centroids for the areas of ``vintage`` whose children have
    population (latest year); returns how many areas got one."""
    children = Area.objects.filter(vintage=vintage, parent__isnull=False)
    with_population = children.filter(population__isnull=False).distinct()
    parent_ids = set(with_population.values_list("parent_id", flat=True))
    if not parent_ids:
        return 0
    parents = list(Area.objects.filter(id__in=parent_ids))
    codes = [p.code for p in parents]
    coarse = areas_frame(codes, vintage=vintage)
    fine_codes = list(children.filter(parent_id__in=parent_ids).values_list("code", flat=True))
    fine = areas_frame(fine_codes, vintage=vintage)
    population = youth_population(fine_codes, age_to=ALL_AGES, vintage=vintage)
    result = centroids(coarse, finer=fine, finer_population=population).set_index("code")
    changed = []
    for area in parents:
        row = result.loc[area.code]
        if row["method"] == CentroidMethod.POPULATION:
            area.centroid_lon = round(float(row["lon"]), 6)
            area.centroid_lat = round(float(row["lat"]), 6)
            area.centroid_method = CentroidMethod.POPULATION
            changed.append(area)
    Area.objects.bulk_update(changed, ["centroid_lon", "centroid_lat", "centroid_method"])
    return len(changed)


# --- shared: codes onto the areas of a vintage ---------------------------------------------------


def _resolve(
    codes: pd.Series, vintage: str | None, name: str, rows: Sequence[int] | None, what: str
) -> tuple[str, dict[str, int], list[Problem], bool]:
    """Match codes to areas of a vintage: (vintage, code -> area id, warnings, merged).

    Country, region, province and arrondissement rows (REFNIS codes ending in 000) are skipped
    with a warning; 2019-2024 municipality codes are moved onto a 2025-or-later vintage through
    the merger crosswalk (``merged`` is then true). Any other unknown code is an error.
    """
    unique = sorted(set(codes) - {""})
    if vintage is None:
        vintages = sorted(set(Area.objects.values_list("vintage", flat=True)), reverse=True)
        vintage = next(
            (
                v
                for v in vintages
                if set(
                    Area.objects.filter(vintage=v, code__in=unique).values_list("code", flat=True)
                )
                >= {mergers.MERGERS_2025.get(c, c) for c in unique if not _is_aggregate(c)}
            ),
            vintages[0] if vintages else None,
        )
    if vintage is None:
        raise InputError(
            Problem("er zijn nog geen gebieden geladen; laad eerst de gebieden.", file=name), name
        )
    known = dict(Area.objects.filter(vintage=vintage).values_list("code", "id"))
    warnings: list[Problem] = []
    problems: list[Problem] = []
    merged = False
    after_mergers = ascii_digits(str(vintage)[:4]) and int(str(vintage)[:4]) >= 2025
    for position, code in enumerate(codes):
        if code in known:
            continue
        row = rows[position] if rows is not None else None
        if _is_aggregate(code):
            warnings.append(
                Problem(
                    f"{code} is een land, gewest, provincie of arrondissement, geen gebied van "
                    "versie " + str(vintage) + "; rij overgeslagen.",
                    row=row,
                    value=code,
                    file=name,
                    severity=Severity.WARNING,
                    kind="overgeslagen",
                )
            )
        elif after_mergers and mergers.MERGERS_2025.get(code) in known:
            merged = True
        else:
            problems.append(
                Problem(
                    f"onbekende gebiedscode: geen {what} van versie {vintage} heeft deze code.",
                    row=row,
                    value=code,
                    file=name,
                    kind="code_onbekend",
                )
            )
    if problems:
        raise InputError(problems, name)
    if merged:
        warnings.append(
            Problem(
                f"codes van vóór de fusies van 1 januari 2025 omgezet naar de gemeenten van "
                f"versie {vintage}.",
                file=name,
                severity=Severity.WARNING,
                kind="fusie",
            )
        )
    return str(vintage), known, warnings, merged


def _is_aggregate(code: str) -> bool:
    return len(code) == 5 and ascii_digits(code) and code.endswith("000")


# --- population ---------------------------------------------------------------------------------


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
    vintage, known, warnings, merged = _resolve(frame["area_code"], vintage, source, None, "gebied")
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
        _audit("bevolking", source, report)
    return report


def _insert_population(rows: list[tuple]) -> None:
    """Insert (area_id, year, sex, age_from, age_to, population) rows from plain tuples:
    building tens of thousands of model instances for bulk_create is ten times slower, and
    these rows have no signals to run (``audit_log = False``; the load itself is audited)."""
    insert_rows(
        PopulationCount, ("area_id", "year", "sex", "age_from", "age_to", "population"), rows
    )


# --- covariates ---------------------------------------------------------------------------------


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
    vintage, known, warnings, merged = _resolve(
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
        _audit("kenmerken", source, report)
    return report


# --- sites --------------------------------------------------------------------------------------


def load_sites(path: str | Path, *, crs: str | None = None) -> LoadReport:
    vintage = latest_vintage(AreaLevel.GEMEENTE)
    municipal = centroids_frame(level=AreaLevel.GEMEENTE, vintage=vintage) if vintage else None
    frame = read_sites(
        path,
        crs=crs,
        municipality_centroids=municipal,
        hulpvormen=list(HulpVorm.objects.filter(active=True).values_list("code", flat=True)),
    )
    return store_sites(frame, source=Path(path).name)


@transaction.atomic
def store_sites(frame: gpd.GeoDataFrame, *, source: str, fictief: bool = False) -> LoadReport:
    """Store sites and their offer. The forms of help listed for a site replace its offer."""
    report = LoadReport()
    forms = {h.code: h for h in HulpVorm.objects.all()}
    unknown = sorted(set(frame["hulpvorm"]) - set(forms))
    if unknown:
        raise InputError(
            Problem(
                f"onbekende hulpvormen: {', '.join(unknown)}.", file=source, kind="code_onbekend"
            ),
            source,
        )
    organisations = {o.code.lower(): o for o in Organisation.objects.all()} | {
        o.naam.lower(): o for o in Organisation.objects.all()
    }
    points = frame.to_crs(WGS84)
    for code, group in points.groupby("vestiging", sort=True):
        first = group.iloc[0]
        organisation = organisations.get(str(first["organisatie"]).lower())
        values = {
            "naam": first["naam"] or code,
            "organisatie": organisation,
            "organisatie_naam": organisation.naam if organisation else first["organisatie"],
            "lon": round(float(first.geometry.x), 6),
            "lat": round(float(first.geometry.y), 6),
            "approximate": bool(first["approximate"]),
            "postcode": first.get("postcode", "") or "",
            "fictief": fictief,
        }
        site = Site.objects.filter(code=code).first()
        if site is None:
            site = Site.objects.create(code=code, **values)
            report.created += 1
        elif any(getattr(site, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(site, key, value)
            site.save()
            report.updated += 1
        else:
            report.unchanged += 1
        offers = {o.hulpvorm.code: o for o in site.offers.select_related("hulpvorm")}
        for form, capacity in zip(group["hulpvorm"], group["capaciteit"], strict=True):
            offer = offers.pop(form, None)
            if offer is None:
                SiteOffer.objects.create(site=site, hulpvorm=forms[form], capaciteit=capacity)
            elif offer.capaciteit != capacity:
                offer.capaciteit = capacity
                offer.save()
        for stale in offers.values():
            stale.delete()
    return report
