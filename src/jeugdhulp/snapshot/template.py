"""Templates a partner fills in, and the docs page, all generated from ``schema``."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jeugdhulp.data.cells import safe_cell
from jeugdhulp.snapshot import schema
from jeugdhulp.snapshot.catalogue import HULPVORMEN

DATA_SHEET, INSTRUCTIONS_SHEET, CODES_SHEET = "data", "instructies", "codes"
SITES_SHEET = "vestigingen"
SITES_HEADER = ("vestiging", "naam", "postcode", "gemeente", "hulpvormen aangeboden")


@dataclass(frozen=True)
class SiteLine:
    """One of the partner's sites as the template lists it."""

    code: str
    naam: str
    postcode: str = ""
    gemeente: str = ""
    hulpvormen: Sequence[str] = ()


TEMPLATE_ROWS = 5000  # rows that get drop-downs and checks in the XLSX template
DOCS_PAGE = "docs/nl/uitvraagformat.md"


def field_codes(
    field: schema.Field, hulpvormen: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """The (code, label) pairs of a coded field; the round may replace the catalogue."""
    if field.name == "hulpvorm" and hulpvormen is not None:
        return list(hulpvormen.items())
    return list(field.codes)


def write_csv(path: Path) -> None:
    """The header row, ``;``-separated and UTF-8 with BOM, as Belgian Excel opens it."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerow(schema.COLUMNS)


def write_xlsx(
    path: Path,
    *,
    hulpvormen: Mapping[str, str] | None = None,
    peildatum: dt.date | None = None,
    sites: Sequence[SiteLine] | None = None,
    key_fingerprint: str | None = None,
) -> None:
    """A workbook with a ``data`` sheet (drop-downs, whole-number and date checks, frozen header),
    Dutch instructions and the code lists; with ``sites``, a ``vestigingen`` sheet that the
    ``vestiging`` column picks from; ``key_fingerprint`` is named in the instructions."""
    book = Workbook()
    data = book.worksheets[0]  # a new workbook's one sheet
    data.title = DATA_SHEET
    codes_sheet = book.create_sheet(CODES_SHEET)
    if sites:
        _write_sites(book.create_sheet(SITES_SHEET), sites)
    instructions = book.create_sheet(INSTRUCTIONS_SHEET)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")

    data.append(list(schema.COLUMNS))
    data.freeze_panes = "A2"
    last = TEMPLATE_ROWS + 1
    code_column = 1  # each coded field takes two columns (code, meaning) on the codes sheet
    for index, field in enumerate(schema.FIELDS, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index)
        cell.font, cell.fill = bold, header_fill
        data.column_dimensions[letter].width = max(field.width, len(field.name) + 2)
        target = f"{letter}2:{letter}{last}"
        check = _validation(
            field, hulpvormen, peildatum, codes_sheet, code_column, len(sites or ())
        )
        if _is_coded(field):
            code_column += 2
        if check is None:
            data.column_dimensions[letter].number_format = "@"
            continue
        check.error = field.help
        check.errorTitle = field.label
        check.prompt = field.help
        check.promptTitle = field.label
        check.showErrorMessage = check.showInputMessage = True
        data.add_data_validation(check)
        check.add(target)
        if field.type == schema.FieldType.DATE:
            for row in range(2, last + 1):
                data.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    for column in range(1, code_column):
        codes_sheet.column_dimensions[get_column_letter(column)].width = 16 if column % 2 else 45

    instructions.column_dimensions["A"].width = 22
    instructions.column_dimensions["B"].width = 12
    instructions.column_dimensions["C"].width = 100
    for line in _instruction_rows(peildatum, bool(sites), key_fingerprint):
        instructions.append(line)
    for row in instructions.iter_rows(min_row=1, max_row=instructions.max_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    instructions["A1"].font = Font(bold=True, size=14)
    book.save(path)


def _write_sites(sheet: Worksheet, sites: Sequence[SiteLine]) -> None:
    sheet.append(list(SITES_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for site in sites:
        values = [site.code, site.naam, site.postcode, site.gemeente, ", ".join(site.hulpvormen)]
        sheet.append([safe_cell(value) for value in values])
    for letter, width in zip("ABCDE", (16, 40, 10, 24, 24), strict=True):
        sheet.column_dimensions[letter].width = width


def _is_coded(field: schema.Field) -> bool:
    return bool(field.codes) or field.name == "hulpvorm"


def _validation(
    field: schema.Field,
    hulpvormen: Mapping[str, str] | None,
    peildatum: dt.date | None,
    codes_sheet: Worksheet,
    code_column: int,
    site_count: int = 0,
) -> DataValidation | None:
    """The Excel check of one column: a drop-down from the codes sheet (or the partner's sites),
    or a number/date range."""
    if field.name == "vestiging" and site_count:
        source = f"{quote_sheetname(SITES_SHEET)}!$A$2:$A${site_count + 1}"
        return DataValidation(type="list", formula1=source, allow_blank=False)
    if _is_coded(field):
        pairs = field_codes(field, hulpvormen or _default_hulpvormen())
        codes_sheet.cell(row=1, column=code_column, value=field.name).font = Font(bold=True)
        codes_sheet.cell(row=1, column=code_column + 1, value="betekenis").font = Font(bold=True)
        for row, (code, label) in enumerate(pairs, start=2):
            # openpyxl stores a text starting with "=" as a formula: a round's labels are text.
            codes_sheet.cell(row=row, column=code_column, value=safe_cell(code))
            codes_sheet.cell(row=row, column=code_column + 1, value=safe_cell(label))
        letter = get_column_letter(code_column)
        source = f"{quote_sheetname(CODES_SHEET)}!${letter}$2:${letter}${len(pairs) + 1}"
        return DataValidation(type="list", formula1=source, allow_blank=not field.required)
    if field.type == schema.FieldType.YEAR:
        top = (peildatum or dt.date.today()).year
        return DataValidation(
            type="whole",
            operator="between",
            formula1=str(top - schema.MAX_AGE - 1),
            formula2=str(top),
            allow_blank=False,
        )
    if field.type == schema.FieldType.MONTH:
        return DataValidation(
            type="whole", operator="between", formula1="1", formula2="12", allow_blank=True
        )
    if field.type == schema.FieldType.DATE:
        top = peildatum or dt.date(2100, 12, 31)
        return DataValidation(
            type="date",
            operator="between",
            formula1="DATE(1990,1,1)",
            formula2=f"DATE({top.year},{top.month},{top.day})",
            allow_blank=False,
        )
    return None


def _instruction_rows(
    peildatum: dt.date | None, has_sites: bool = False, key_fingerprint: str | None = None
) -> list[list[str]]:
    when = peildatum.strftime("%d/%m/%Y") if peildatum else "de peildatum van de ronde"
    sites = (
        "De codes van uw vestigingen staan op het blad 'vestigingen'; de kolom vestiging "
        "biedt alleen die codes aan."
        if has_sites
        else "De codes van uw vestigingen staan op de pagina van de ronde in de webtoepassing."
    )
    check = (
        f"De sleutel van deze ronde heeft vingerafdruk {key_fingerprint}; het programma toont "
        "de vingerafdruk van uw sleutel. Verschillen ze, lever dan niet aan."
        if key_fingerprint
        else "Het programma toont de vingerafdruk van uw sleutel; vergelijk die met de pagina "
        "van de ronde."
    )
    rows = [
        [f"Uitvraag jeugdhulpgebruik (foto), formaat versie {schema.FORMAT_VERSION}"],
        [],
        ["Wat", "", f"Eén rij per jongere per hulpvorm die op {when} loopt."],
        [
            "Hoe",
            "",
            "Vul het blad 'data' in. Verander de kolomnamen in de eerste rij niet. Vul "
            "nooit een rijksregisternummer in: gebruik het pseudonimiseringsprogramma "
            "(jeugdhulp pseudonymize), dat een kolom 'insz' omzet in client_pseudoniem.",
        ],
        [
            "Sleutel",
            "",
            "Alle partners van de ronde pseudonimiseren met dezelfde sleutel. U krijgt hem van de "
            "coördinator van de ronde, buiten de webtoepassing om; hij staat nooit op het "
            f"platform. {check}",
        ],
        ["Vestigingen", "", sites],
        ["Hulpvormen", "", "De codes van de hulpvormen van de ronde staan op het blad 'codes'."],
        [
            "Controle",
            "",
            "Controleer het bestand met 'jeugdhulp validate' of laad het op in de "
            "webtoepassing: elke fout wordt gemeld met rij, kolom en waarde. Een bestand met "
            "fouten wordt niet ingelezen.",
        ],
        [],
        ["Kolom", "Verplicht", "Uitleg"],
    ]
    rows += [[f.name, "ja" if f.required else "nee", f.help] for f in schema.FIELDS]
    return rows


def docs_markdown(hulpvormen: Mapping[str, str] | None = None) -> str:
    """The Dutch docs page of the format (``docs/nl/uitvraagformat.md``)."""
    lines = [
        f"# Uitvraagformat jeugdhulpgebruik (foto), versie {schema.FORMAT_VERSION}",
        "",
        "Deze pagina is gegenereerd uit het schema in `src/jeugdhulp/snapshot/schema.py`; "
        "het sjabloon en de controle komen uit hetzelfde schema.",
        "",
        "Eén rij per jongere per hulpvorm die op de peildatum loopt. Een CSV-bestand "
        "(scheidingsteken `;`, `,` of tab; UTF-8 of Windows-1252) of een Excel-werkmap (.xlsx, "
        "blad `data` of het eerste blad). Kolomnamen mogen hoofdletters, accenten en spaties "
        "bevatten; de volgorde van de kolommen is vrij.",
        "",
        "| kolom | omschrijving | verplicht | uitleg | voorbeeld |",
        "|---|---|---|---|---|",
    ]
    for f in schema.FIELDS:
        lines.append(
            f"| `{f.name}` | {f.label} | {'ja' if f.required else 'nee'} | {f.help} | "
            f"`{f.example}` |"
        )
    lines += [
        "",
        "Leeftijd op de peildatum: uit geboortejaar en geboortemaand (dag 1 van de maand); "
        f"zonder maand rekenen we met 1 juli. Toegelaten: {schema.MIN_AGE} tot en met "
        f"{schema.MAX_AGE} jaar.",
        "",
        "Een bestand met een rijksregisternummer (in welke kolom ook) wordt volledig geweigerd.",
        "Dezelfde jongere twee keer met dezelfde vestiging en hulpvorm is een fout.",
        "",
        "## Codelijsten",
    ]
    for f in filter(_is_coded, schema.FIELDS):
        pairs = field_codes(f, hulpvormen or _default_hulpvormen())
        lines += ["", f"### {f.name}", "", "| code | betekenis |", "|---|---|"]
        lines += [f"| `{code}` | {label} |" for code, label in pairs]
    return "\n".join(lines) + "\n"


def _default_hulpvormen() -> dict[str, str]:
    return {h.code: h.label for h in HULPVORMEN.values()}


if __name__ == "__main__":  # regenerate the docs page: python -m jeugdhulp.snapshot.template
    Path(DOCS_PAGE).write_text(docs_markdown(), encoding="utf-8")
