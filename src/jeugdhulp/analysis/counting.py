"""Counting rules: who is one child, how old, living where.

A child is identified by its pseudonym; a partner-local pseudonym (``L-...``) is unique only
within the partner that delivered it. A child is counted once in each form of help it receives
and once in ``ALLE``. When the rows of one child disagree on birth, sex or residence (two partners
registered them differently), the row with the latest start of help wins, so the child is never
split over two areas.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from jeugdhulp.data.frames import column_of, columns_of

ALL_FORMS = "ALLE"
ABROAD = "BUITENLAND"
UNKNOWN = "ONBEKEND"
# Residence given as a code or postcode that no area of the round contains.
UNPLACED = "NIET_TOEGEWEZEN"
# Age on the peildatum outside the age bands of the population.
AGE_OUTSIDE = "LEEFTIJD_BUITEN_BANDEN"
OUTSIDE_CATEGORIES = (ABROAD, UNKNOWN, UNPLACED, AGE_OUTSIDE)
LOCAL_PREFIX = "L-"
DEFAULT_BIRTH_MONTH = 7  # FORMATS.md: a missing month means 1 July


def client_keys(pseudonym: pd.Series, partner: pd.Series) -> pd.Series:
    """One key per child: the pseudonym, or ``partner + pseudonym`` for partner-local ids.

    Parameters
    ----------
    pseudonym : pandas.Series
        ``client_pseudoniem`` per snapshot row; an ``L-`` pseudonym is local to its partner.
    partner : pandas.Series
        The delivering partner per row.

    Returns
    -------
    pandas.Series
        The child's key per row (str).
    """
    keys = pseudonym.astype(str)
    local = keys.str.startswith(LOCAL_PREFIX).to_numpy(bool)
    if local.any():  # joined only where needed: most children have a national pseudonym
        keys = keys.copy()
        keys[local] = partner[local].astype(str) + "\x1f" + keys[local]
    return keys


def age_in_years(
    birth_year: np.ndarray, birth_month: np.ndarray, year: np.ndarray, month: np.ndarray | int
) -> np.ndarray:
    """Completed years on a date, born on day 1 of ``birth_month`` (NaN month → July).

    Because the birth day is the 1st, the birthday of the reference year has passed exactly when
    the reference month is not before the birth month; the reference day does not matter.

    Parameters
    ----------
    birth_year, birth_month : numpy.ndarray
        Year and month (1–12, NaN when unknown) of birth.
    year, month : numpy.ndarray
        Year and month of the reference date (e.g. the peildatum or the start of help); one
        ``month`` (int) for all rows is broadcast.

    Returns
    -------
    numpy.ndarray
        Age in completed years (int64).
    """
    birth_month = np.where(np.isnan(birth_month), DEFAULT_BIRTH_MONTH, birth_month)
    return (year - birth_year - (month < birth_month)).astype(np.int64)


def resolve_residence(
    woonplaats: pd.Series,
    area_codes: pd.Index,
    postcodes: pd.DataFrame | None = None,
    *,
    code_aliases: Mapping[str, str] | None = None,
    area_of_municipality: Mapping[str, str] | None = None,
) -> pd.Series:
    """The area code each residence falls in, or ``BUITENLAND``/``ONBEKEND``/``NIET_TOEGEWEZEN``.

    Parameters
    ----------
    woonplaats : pandas.Series
        Normalised residences from the snapshot: an area code, a 4-digit postcode, ``BUITENLAND``
        or ``ONBEKEND``.
    area_codes : pandas.Index
        The codes of the round's areas.
    postcodes : pandas.DataFrame or None
        ``[postcode, nis_code, share]``; a postcode goes to the municipality with its largest
        share (a child is one person: it cannot be split over municipalities).
    code_aliases : Mapping[str, str] or None
        Old code → current code (e.g. the 2025 municipal mergers), applied when the code itself
        is not an area.
    area_of_municipality : Mapping[str, str] or None
        Municipality code → area code, when the areas are groupings of municipalities.

    Returns
    -------
    pandas.Series
        Per row of ``woonplaats`` (same index): an area code or an outside category (str).
    """
    positions, unique = pd.factorize(woonplaats.astype(str))
    resolved = np.full(len(unique), UNPLACED, dtype=object)
    codes = pd.Index(area_codes.astype(str))
    to_area: dict[str, str] = {c: c for c in codes}
    if area_of_municipality:
        to_area.update({m: a for m, a in area_of_municipality.items() if a in to_area})

    def lookup(code: str) -> str | None:
        if code in to_area:
            return to_area[code]
        alias = (code_aliases or {}).get(code)
        return to_area.get(alias) if alias is not None else None

    postcode_to_nis: dict[str, str] = {}
    if postcodes is not None and len(postcodes):
        best = postcodes.sort_values(
            ["postcode", "share", "nis_code"], ascending=[True, False, True]
        )
        best = best.drop_duplicates("postcode")
        postcode_to_nis = dict(
            zip(best["postcode"].astype(str), best["nis_code"].astype(str), strict=True)
        )
    for position, value in enumerate(unique):
        if value in (ABROAD, UNKNOWN):
            resolved[position] = value
            continue
        area = lookup(value)
        if area is None and value in postcode_to_nis:
            area = lookup(postcode_to_nis[value])
        if area is not None:
            resolved[position] = area
    return pd.Series(resolved[positions], index=woonplaats.index, dtype=object)


def client_forms(
    snapshot: pd.DataFrame,
    residence: pd.Series,
    peildatum: pd.Timestamp,
    *,
    distance_km: np.ndarray | None = None,
    same_area: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per child × form of help, with the child's attributes and its entry's properties.

    Parameters
    ----------
    snapshot : pandas.DataFrame
        The validated snapshot rows (``jeugdhulp.snapshot.reader`` frame).
    residence : pandas.Series
        :func:`resolve_residence` of the snapshot rows.
    peildatum : pandas.Timestamp
        The reference date ages are taken on.
    distance_km : numpy.ndarray or None
        Per snapshot row: the distance to the row's site in km (NaN when unknown).
    same_area : numpy.ndarray or None
        Per snapshot row: whether the site lies in the child's own area.

    Returns
    -------
    pandas.DataFrame
        Columns ``client`` (int code), ``hulpvorm``, ``gebied`` (area code or outside category),
        ``leeftijd`` (years, on the peildatum), ``leeftijd_start`` (years, at the earliest start of
        this form), ``geslacht``, ``crisis``, ``rtjh``, ``nrtjh`` (any entry of this form through
        that route), ``afstand_km`` (km to the nearest site of this form, NaN when unknown) and
        ``eigen_gebied`` (helped at a site in the own area).
    """
    n = len(snapshot)
    key = client_keys(column_of(snapshot, "client_pseudoniem"), column_of(snapshot, "partner"))
    frame = pd.DataFrame(
        {
            "client": pd.factorize(key)[0],
            "hulpvorm": snapshot["hulpvorm"].astype(str).to_numpy(),
            "gebied": residence.to_numpy(),
            "start": pd.DatetimeIndex(snapshot["startdatum"]).to_numpy(),
            "partner": snapshot["partner"].astype(str).to_numpy(),
            "bronrij": snapshot["bronrij"].to_numpy(),
            "crisis": snapshot["crisis"].astype(bool).to_numpy(),
            "rtjh": (snapshot["toegang"] == "RTJH").to_numpy(),
            "nrtjh": (snapshot["toegang"] == "NRTJH").to_numpy(),
            "afstand_km": np.full(n, np.nan) if distance_km is None else distance_km,
            "eigen_gebied": np.zeros(n, bool) if same_area is None else same_area,
        }
    )
    # The person's attributes come from the row with the latest start, then partner, then row.
    order = frame.sort_values(
        ["client", "start", "partner", "bronrij"], ascending=[True, False, True, True]
    ).index
    first = frame.loc[order].drop_duplicates("client").index
    person = pd.DataFrame(
        {
            "geboortejaar": snapshot["geboortejaar"].to_numpy(dtype=float)[first],
            "geboortemaand": snapshot["geboortemaand"]
            .astype("Float64")
            .to_numpy(dtype=float, na_value=np.nan)[first],
            "geslacht": snapshot["geslacht"].astype(str).to_numpy()[first],
            "gebied": frame["gebied"].to_numpy()[first],
        },
        index=frame["client"].to_numpy()[first],
    )
    forms = (
        frame.groupby(["client", "hulpvorm"], sort=True)
        .agg(
            start=("start", "min"),
            crisis=("crisis", "any"),
            rtjh=("rtjh", "any"),
            nrtjh=("nrtjh", "any"),
            afstand_km=("afstand_km", "min"),
            eigen_gebied=("eigen_gebied", "any"),
        )
        .reset_index()
    )
    attrs = person.reindex(forms["client"].to_numpy())
    birth_year = attrs["geboortejaar"].to_numpy()
    birth_month = attrs["geboortemaand"].to_numpy()
    start = pd.DatetimeIndex(forms["start"])
    return pd.DataFrame(
        {
            "client": forms["client"].to_numpy(),
            "hulpvorm": forms["hulpvorm"].to_numpy(),
            "gebied": attrs["gebied"].to_numpy(),
            "leeftijd": age_in_years(
                birth_year, birth_month, np.full(len(forms), peildatum.year), peildatum.month
            ),
            # DatetimeIndex gets year and month from pandas' inherit_names decorator, which
            # pyright cannot follow: a gap in pandas' annotations
            "leeftijd_start": age_in_years(
                birth_year,
                birth_month,
                start.year.to_numpy(),  # pyright: ignore[reportAttributeAccessIssue]
                start.month.to_numpy(),  # pyright: ignore[reportAttributeAccessIssue]
            ),
            "geslacht": attrs["geslacht"].to_numpy(),
            "crisis": forms["crisis"].to_numpy(bool),
            "rtjh": forms["rtjh"].to_numpy(bool),
            "nrtjh": forms["nrtjh"].to_numpy(bool),
            "afstand_km": forms["afstand_km"].to_numpy(float),
            "eigen_gebied": forms["eigen_gebied"].to_numpy(bool),
        }
    )


def with_all_forms(forms: pd.DataFrame) -> pd.DataFrame:
    """Append one ``ALLE`` row per child: earliest start, any crisis/route, nearest site.

    Parameters
    ----------
    forms : pandas.DataFrame
        :func:`client_forms`.

    Returns
    -------
    pandas.DataFrame
        ``forms`` with one more row per child, ``hulpvorm`` = ``ALLE``.
    """
    every = (
        forms.groupby("client", sort=True)
        .agg(
            gebied=("gebied", "first"),
            leeftijd=("leeftijd", "first"),
            leeftijd_start=("leeftijd_start", "min"),
            geslacht=("geslacht", "first"),
            crisis=("crisis", "any"),
            rtjh=("rtjh", "any"),
            nrtjh=("nrtjh", "any"),
            afstand_km=("afstand_km", "min"),
            eigen_gebied=("eigen_gebied", "any"),
        )
        .reset_index()
        .assign(hulpvorm=ALL_FORMS)
    )
    return pd.concat([forms, columns_of(every, list(forms.columns))], ignore_index=True)
