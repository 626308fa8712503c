"""Read and validate a snapshot file against the data-request format (see ``schema``).

Every rule works on whole columns at once (pandas), so 250,000 rows validate in seconds; Python
loops only run over the rows that have a problem, or over the distinct values of a column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from jeugdhulp.data.codes import ascii_digits, is_belgian_postcode, normalise_code
from jeugdhulp.data.collector import Collector
from jeugdhulp.data.errors import InputError, Problem, Severity
from jeugdhulp.data.frames import column_of, rows_where
from jeugdhulp.data.tabular import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, normalise_header, read_table
from jeugdhulp.snapshot import schema
from jeugdhulp.snapshot.catalogue import HULPVORMEN
from jeugdhulp.snapshot.pseudonym import is_insz

# The snapshot DataFrame every consumer gets (see the shared interfaces).
FRAME_DTYPES: dict[str, str] = {
    "vestiging": "object",
    "client_pseudoniem": "object",
    "geboortejaar": "int64",
    "geboortemaand": "Int64",
    "geslacht": "object",
    "woonplaats": "object",
    "hulpvorm": "object",
    "toegang": "object",
    "startdatum": "datetime64[ns]",
    "crisis": "bool",
    "toeleider": "object",
    "gemandateerd": "boolean",
    "partner": "object",
    "bronrij": "int64",
}
YES = {"ja", "j", "yes", "y", "waar", "true", "1"}
NO = {"nee", "n", "no", "neen", "onwaar", "false", "0"}
HIDDEN = "(verborgen)"  # shown instead of a national number, which is never echoed or stored
INSZ_COLUMNS = {"insz", "rijksregisternummer", "rrn", "niss", "ssin", "bis", "inss"}
# Excel stores dates as days since 1899-12-30; 20000-80000 covers 1954-2119.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIALS = (20_000, 80_000)
# A month assumed when the birth month is missing (FORMATS.md: the 1st of July).
DEFAULT_BIRTH_MONTH = 7
_ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]00:00(?::00)?)?$")
_BE_DATE = re.compile(r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_NOT_A_DIGIT = re.compile(r"[^0-9]")
_LOCAL_ID = re.compile(schema.LOCAL_PREFIX + r"\S{1,62}")


def _year(value: str) -> int | None:
    year = _whole(value, 4)
    return year if year is not None and year >= 1000 else None


def _whole(value: str, digits: int) -> int | None:
    """A whole number of at most ``digits`` digits (``2010``, Excel's ``2010.0``), else None."""
    code = normalise_code(value)
    return int(code) if ascii_digits(code) and len(code) <= digits else None


@dataclass
class SnapshotResult:
    """The validated rows (``frame``, rows with errors left out) and every problem found."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def unique_children(self) -> int:
        return int(self.frame["client_pseudoniem"].nunique())


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in FRAME_DTYPES.items()})


def read_snapshot(
    path: str | Path,
    *,
    partner: str | None = None,
    peildatum: dt.date | None = None,
    area_codes: Collection[str] | None = None,
    site_codes: Collection[str] | None = None,
    hulpvormen: Collection[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> SnapshotResult:
    """Read a snapshot file (CSV or XLSX) and check every rule of the format.

    Parameters
    ----------
    partner: who delivered (organisation code); default the file name without extension.
    peildatum: the round's reference date; without it age and start date are only checked
        against today.
    area_codes: the residence codes of the round; ``None`` leaves area codes unchecked.
    site_codes: the site codes the partner may use; ``None`` leaves them unchecked.
    hulpvormen: the form-of-help codes of the round; default the catalogue.
    """
    path = Path(path)
    try:
        table = read_table(path, max_bytes=max_bytes, max_rows=max_rows)
    except InputError as error:
        return SnapshotResult(empty_frame(), error.problems, 0)
    return validate_table(
        table,
        file=path.name,
        partner=partner or path.stem,
        peildatum=peildatum,
        area_codes=area_codes,
        site_codes=site_codes,
        hulpvormen=hulpvormen,
    )


class _Column:
    """A column of text cells, factorized once: each rule works on its distinct values (codes
    repeat a lot in 250k rows), and no rule factorizes the same column again."""

    def __init__(self, values: pd.Series):
        self.values = values
        self.codes, uniques = pd.factorize(values)
        # the distinct texts as an object array (factorize gives an Index for a Series)
        self.uniques = np.asarray(uniques)
        self.present = (self.uniques != "")[self.codes]

    def map(self, function: Callable[[str], object], dtype=object) -> pd.Series:
        """``function`` applied once per distinct value, spread over the rows."""
        return self.spread(np.array([function(value) for value in self.uniques], dtype=dtype))

    def spread(self, per_value: np.ndarray) -> pd.Series:
        """One result per distinct value (in the order of ``uniques``) as one per row."""
        return pd.Series(per_value[self.codes], index=self.values.index)


def _code_list(codes: Iterable[str]) -> str:
    codes = list(codes)
    shown = ", ".join(codes[:15])
    return shown + (f" (en nog {len(codes) - 15})" if len(codes) > 15 else "")


def validate_table(
    table: pd.DataFrame,
    *,
    file: str,
    partner: str,
    peildatum: dt.date | None = None,
    area_codes: Collection[str] | None = None,
    site_codes: Collection[str] | None = None,
    hulpvormen: Collection[str] | None = None,
) -> SnapshotResult:
    """Check a table as :func:`jeugdhulp.data.tabular.read_table` returns it (see
    :func:`read_snapshot` for the parameters)."""
    rows = np.asarray(table.attrs.get("source_rows") or range(2, len(table) + 2), dtype=np.int64)
    table = table.reset_index(drop=True)
    out = Collector(file, rows)

    missing = [name for name in schema.REQUIRED if name not in table.columns]
    for name in missing:
        out.file_problem(
            f"de verplichte kolom '{name}' ontbreekt. Gebruik het sjabloon: de eerste rij bevat "
            f"de kolomnamen {', '.join(schema.COLUMNS)}.",
            "kolom_ontbreekt",
            column=name,
        )
    cells = {name: _Column(column_of(table, name)) for name in table.columns}
    insz_found = _check_insz(cells, out)
    for name in table.columns:
        if name in schema.FIELDS_BY_NAME or name in INSZ_COLUMNS:
            continue
        out.file_problem(
            "onbekende kolom; ze wordt genegeerd.",
            "kolom_onbekend",
            column=name,
            severity=Severity.WARNING,
        )
    if missing or table.empty:
        if table.empty and not missing:
            out.file_problem("het bestand bevat geen rijen met gegevens.", "leeg")
        return SnapshotResult(empty_frame(), out.problems, len(table))

    column = {
        name: cells[name] if name in cells else _Column(pd.Series("", index=table.index))
        for name in schema.COLUMNS
    }
    for name in schema.REQUIRED:
        out.required(
            column[name].present,
            name,
            f"verplicht veld is leeg. {schema.FIELDS_BY_NAME[name].help}",
            column[name].values,
        )

    sites = _check_sites(column["vestiging"], site_codes, out)
    pseudonyms = _check_pseudonyms(column["client_pseudoniem"], out)
    year, month = _check_birth(column, peildatum, out)
    codes = {name: [c for c, _ in schema.FIELDS_BY_NAME[name].codes] for name in schema.COLUMNS}
    codes["hulpvorm"] = list(HULPVORMEN if hulpvormen is None else hulpvormen)
    choices = {
        name: _check_choice(name, column[name], codes[name], out, upper)
        for name, upper in (
            ("geslacht", True),
            ("toegang", True),
            ("toeleider", False),
            ("hulpvorm", True),
        )
    }
    forms = choices["hulpvorm"]
    residence = _check_residence(column["woonplaats"], area_codes, out)
    start = _check_start(column["startdatum"], year, month, peildatum, out)
    crisis = _check_yes_no("crisis", column["crisis"], out)
    mandated = _check_yes_no("gemandateerd", column["gemandateerd"], out)

    keys_ok = (sites.notna() & pseudonyms.notna() & forms.notna()).to_numpy()
    _check_duplicates(pseudonyms, sites, forms, keys_ok, column["client_pseudoniem"].values, out)

    keep = ~out.bad
    if insz_found:  # nothing of a file that holds a national number goes further
        keep[:] = False
    frame = pd.DataFrame(
        {
            "vestiging": sites,
            "client_pseudoniem": pseudonyms,
            "geboortejaar": year,
            "geboortemaand": month,
            "geslacht": choices["geslacht"],
            "woonplaats": residence,
            "hulpvorm": forms,
            "toegang": choices["toegang"],
            "startdatum": start,
            "crisis": crisis,
            "toeleider": choices["toeleider"],
            "gemandateerd": mandated,
            "partner": partner,
            "bronrij": rows,
        }
    )
    frame = rows_where(frame, keep).astype(FRAME_DTYPES).reset_index(drop=True)
    adviser = column_of(frame, "toeleider")
    frame["toeleider"] = adviser.astype(object).where(adviser.notna(), None)
    return SnapshotResult(frame, out.problems, len(table))


def _check_insz(cells: dict[str, _Column], out: Collector) -> bool:
    """Anything that is a valid national or BIS number, in any column, refuses the file."""
    found = False
    for name, cell in cells.items():
        if name in INSZ_COLUMNS and cell.present.any():
            out.file_problem(
                "deze kolom bevat rijksregisternummers. Verwijder de kolom: gebruik het "
                "pseudonimiseringsprogramma, dat ze vervangt door client_pseudoniem. Het hele "
                "bestand wordt geweigerd.",
                "insz",
                column=name,
            )
            found = True
        # Only values of 10 to 16 characters with at least 10 digits can be one (11 digits, or
        # 10 that lost a leading zero, and at most 5 separators): dates are not even tried.
        lengths = np.fromiter(map(len, cell.uniques), dtype=np.int64, count=len(cell.uniques))
        hit = np.zeros(len(cell.uniques), dtype=bool)
        for position in np.flatnonzero((lengths >= 10) & (lengths <= 16)):
            value = cell.uniques[position]
            hit[position] = len(_NOT_A_DIGIT.sub("", value)) >= 10 and is_insz(value)
        mask = hit[cell.codes]
        if mask.any():
            found = True
            out.rows_problem(
                mask,
                name,
                pd.Series(HIDDEN, index=cell.values.index),
                "dit is een rijksregister- of BIS-nummer. Vervang het met het "
                "pseudonimiseringsprogramma door een pseudoniem; het hele bestand wordt geweigerd.",
                "insz",
            )
            out.hidden[name] = mask
    return found


def _check_sites(values: _Column, site_codes: Collection[str] | None, out: Collector) -> pd.Series:
    if site_codes is None:
        return values.values.where(values.present)
    canonical = {code.strip().upper(): code for code in site_codes}
    sites = values.map(lambda v: canonical.get(v.upper()))
    known = sorted(canonical.values())
    out.rows_problem(
        values.present & sites.isna(),
        "vestiging",
        values.values,
        "onbekende vestigingscode voor uw organisatie in deze ronde. Gebruik een van: "
        f"{_code_list(known) or '(geen vestigingen gekend: neem contact op met de coördinator)'}.",
        "vestiging_onbekend",
    )
    return sites


def _pseudonym(value: str) -> str | None:
    lowered = value.lower()
    if _HEX64.fullmatch(lowered):
        return lowered
    return value if _LOCAL_ID.fullmatch(value) else None


def _check_pseudonyms(values: _Column, out: Collector) -> pd.Series:
    pseudonyms = values.map(_pseudonym)
    out.rows_problem(
        values.present & pseudonyms.isna(),
        "client_pseudoniem",
        values.values,
        "geen geldig pseudoniem: verwacht 64 tekens 0-9 en a-f (uit het "
        "pseudonimiseringsprogramma) of een eigen nummer dat begint met 'L-'.",
        "pseudoniem",
    )
    return pseudonyms


def _check_birth(
    column: dict[str, _Column], peildatum: dt.date | None, out: Collector
) -> tuple[pd.Series, pd.Series]:
    years, months = column["geboortejaar"], column["geboortemaand"]
    year = years.map(_year, float)
    out.rows_problem(
        years.present & year.isna(),
        "geboortejaar",
        years.values,
        "geen geldig geboortejaar: schrijf het jaar met vier cijfers, bv. 2010.",
        "jaar",
    )
    month = months.map(lambda v: _whole(v, 2), float)
    out.out_of_range(
        month,
        "geboortemaand",
        months.values,
        "geen geldige maand: vul 1 tot 12 in, of laat het veld leeg als de maand niet gekend is.",
        "maand",
        low=1,
        high=12,
        where=months.present,
    )
    month = month.where(month.between(1, 12))

    reference = peildatum or dt.date.today()
    birth_month = month.fillna(DEFAULT_BIRTH_MONTH)
    age = reference.year - year - (reference.month < birth_month).astype(int)
    if peildatum is None:
        out.rows_problem(
            age < 0,
            "geboortejaar",
            years.values,
            "het geboortejaar ligt in de toekomst.",
            "leeftijd",
        )
    else:
        when = peildatum.strftime("%d/%m/%Y")
        out.rows_problem(
            age < schema.MIN_AGE,
            "geboortejaar",
            years.values,
            f"de jongere is op de peildatum ({when}) nog niet geboren. Kijk het geboortejaar "
            "en de geboortemaand na.",
            "leeftijd",
        )
        out.rows_problem(
            age > schema.MAX_AGE,
            "geboortejaar",
            years.values,
            f"de jongere is op de peildatum ({when}) ouder dan {schema.MAX_AGE} jaar en hoort "
            "niet in deze foto. Laat de rij weg of kijk het geboortejaar na.",
            "leeftijd",
        )
    return year, month.astype("Int64")


def _check_choice(
    name: str, values: _Column, codes: list[str], out: Collector, upper: bool
) -> pd.Series:
    """A coded field: codes compared without regard to case (and spacing for lowercase codes)."""
    if upper:
        canonical = {code.upper(): code for code in codes}
        normalised = values.map(lambda v: canonical.get(v.upper()))
    else:
        canonical = {normalise_header(code): code for code in codes}
        normalised = values.map(lambda v: canonical.get(normalise_header(v)))
    out.rows_problem(
        values.present & normalised.isna(),
        name,
        values.values,
        f"onbekende code. Gebruik een van: {_code_list(codes)}.",
        "code_onbekend",
    )
    return normalised


def _check_residence(
    values: _Column, area_codes: Collection[str] | None, out: Collector
) -> pd.Series:
    special = {schema.RESIDENCE_ABROAD, schema.RESIDENCE_UNKNOWN}
    areas = {normalise_code(code).upper() for code in area_codes or ()}

    def residence(value: str) -> str | None:
        code = normalise_code(value).upper()
        if code in special or code in areas or is_belgian_postcode(code):
            return code
        if area_codes is None and code and not (len(code) == 4 and ascii_digits(code)):
            return code  # an area code we cannot check without the round's areas
        return None

    normalised = values.map(residence)
    explanation = (
        "geen NIS-code van de ronde en geen Belgische postcode"
        if area_codes is not None
        else "geen bestaande Belgische postcode"
    )
    out.rows_problem(
        values.present & normalised.isna(),
        "woonplaats",
        values.values,
        f"{explanation}. Vul de NIS-code of postcode van de woonplaats in, "
        f"{schema.RESIDENCE_ABROAD} of {schema.RESIDENCE_UNKNOWN}.",
        "woonplaats",
    )
    return normalised


def parse_date(value: str) -> dt.date | bool | None:
    """A date as users write it: ``YYYY-MM-DD``, ``DD/MM/YYYY`` (also with ``-`` or ``.``, one-digit
    day or month) or an Excel serial number. ``None`` when it is no date at all, ``False`` when it
    has the shape of a date that does not exist (30/02/2023)."""
    match = _ISO_DATE.match(value) or _BE_DATE.match(value)
    if match:
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return False
    serial = _whole(value, 5)
    if serial is not None and EXCEL_SERIALS[0] <= serial <= EXCEL_SERIALS[1]:
        return EXCEL_EPOCH + dt.timedelta(days=serial)
    return None


def _check_start(
    cells: _Column,
    year: pd.Series,
    month: pd.Series,
    peildatum: dt.date | None,
    out: Collector,
) -> pd.Series:
    parsed = [parse_date(value) for value in cells.uniques]
    not_a_date = np.array([p is None for p in parsed], dtype=bool)[cells.codes]
    impossible = np.array([p is False for p in parsed], dtype=bool)[cells.codes]
    day = np.array(
        [
            np.datetime64(p, "ns") if isinstance(p, dt.date) else np.datetime64("NaT", "ns")
            for p in parsed
        ],
        dtype="datetime64[ns]",
    )
    dates = cells.spread(day)
    values = cells.values
    out.rows_problem(
        cells.present & not_a_date,
        "startdatum",
        values,
        "geen datum: schrijf JJJJ-MM-DD (bv. 2022-09-01) of DD/MM/JJJJ (bv. 01/09/2022).",
        "datum",
    )
    out.rows_problem(
        impossible,
        "startdatum",
        values,
        "deze datum bestaat niet. Kijk dag en maand na.",
        "datum",
    )
    limit = pd.Timestamp(peildatum or dt.date.today())
    what = f"de peildatum ({limit:%d/%m/%Y})" if peildatum else "vandaag"
    out.rows_problem(
        dates > limit,
        "startdatum",
        values,
        f"de startdatum ligt na {what}. Hulp die later begon, hoort niet in deze foto.",
        "na_peildatum",
    )
    # A child not yet born on the peildatum already has its own message (same rule as the age).
    born = (
        year * 12 + month.astype(float).fillna(DEFAULT_BIRTH_MONTH) <= limit.year * 12 + limit.month
    )
    birth = pd.to_datetime(
        pd.DataFrame({"year": year, "month": month.fillna(1).astype(float), "day": 1}),
        errors="coerce",
    )
    out.rows_problem(
        (dates < birth) & born,
        "startdatum",
        values,
        "de startdatum ligt voor de geboorte. Kijk de startdatum en het geboortejaar na.",
        "voor_geboorte",
    )
    return dates


def _check_yes_no(name: str, values: _Column, out: Collector) -> pd.Series:
    answer = values.map(lambda v: True if v.lower() in YES else False if v.lower() in NO else None)
    answer = answer.astype("boolean")
    out.rows_problem(
        values.present & answer.isna(), name, values.values, "vul ja of nee in.", "ja_nee"
    )
    return answer


def _check_duplicates(
    pseudonyms: pd.Series,
    sites: pd.Series,
    forms: pd.Series,
    keys_ok: np.ndarray,
    values: pd.Series,
    out: Collector,
) -> None:
    out.duplicates(
        pd.DataFrame({"p": pseudonyms, "s": sites, "f": forms}),
        keys_ok,
        "client_pseudoniem",
        values,
        lambda _, first: (
            f"dezelfde cliënt staat met dezelfde vestiging en hulpvorm al op rij {first}. "
            "Laat de dubbele rij weg."
        ),
    )
