"""The data-request format (uitvraagformat), version 1, as data.

This is the one description of the snapshot file: the templates, the validator and the docs page
(``docs/nl/uitvraagformat.md``) are all generated from it, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jeugdhulp.snapshot.catalogue import HULPVORMEN

FORMAT_VERSION = "1"


class FieldType(StrEnum):
    CODE = "code"  # free code checked against a list given by the round (sites)
    PSEUDONYM = "pseudoniem"
    YEAR = "jaar"
    MONTH = "maand"
    CHOICE = "keuze"  # one of ``Field.codes``
    RESIDENCE = "woonplaats"
    DATE = "datum"
    YES_NO = "ja_nee"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: FieldType
    required: bool
    help: str
    example: str
    # (code, Dutch label) for coded fields; the validator accepts exactly these codes.
    codes: tuple[tuple[str, str], ...] = ()
    width: int = 14  # column width in the XLSX template


YES_NO = (("ja", "ja"), ("nee", "nee"))
SEXES = (("M", "man"), ("V", "vrouw"), ("X", "X (anders)"), ("O", "onbekend"))
ACCESS = (
    ("RTJH", "rechtstreeks toegankelijke jeugdhulp"),
    ("NRTJH", "niet-rechtstreeks toegankelijke jeugdhulp"),
)
REFERRERS = (
    ("zelf", "jongere of gezin zelf"),
    ("school_clb", "school of CLB"),
    ("huisarts", "huisarts"),
    ("caw", "CAW"),
    ("ocj", "ondersteuningscentrum jeugdzorg (OCJ)"),
    ("jeugdrechter", "jeugdrechter of parket"),
    ("crisismeldpunt", "crisismeldpunt"),
    ("k_dienst", "K-dienst"),
    ("andere", "andere"),
)
RESIDENCE_ABROAD = "BUITENLAND"
RESIDENCE_UNKNOWN = "ONBEKEND"
MIN_AGE, MAX_AGE = 0, 25
LOCAL_PREFIX = "L-"

FIELDS: tuple[Field, ...] = (
    Field(
        "vestiging",
        "Vestiging",
        FieldType.CODE,
        True,
        "De code van de vestiging waar de jongere deze hulp krijgt: een van de codes van uw "
        "vestigingen op de pagina van de ronde (ook op het blad 'vestigingen' van het "
        "Excel-sjabloon).",
        "V001",
    ),
    Field(
        "client_pseudoniem",
        "Pseudoniem van de cliënt",
        FieldType.PSEUDONYM,
        True,
        "64 tekens (0-9, a-f): het pseudoniem dat het pseudonimiseringsprogramma maakt uit het "
        "rijksregisternummer met de sleutel van de ronde. Zonder rijksregisternummer: een eigen "
        "nummer dat begint met 'L-' (bv. L-2023-0042). Vul nooit het rijksregisternummer zelf in.",
        "3f5a…(64 tekens)",
        width=30,
    ),
    Field(
        "geboortejaar",
        "Geboortejaar",
        FieldType.YEAR,
        True,
        f"Vier cijfers. De jongere is op de peildatum {MIN_AGE} tot en met {MAX_AGE} jaar oud.",
        "2010",
    ),
    Field(
        "geboortemaand",
        "Geboortemaand",
        FieldType.MONTH,
        False,
        "1 tot 12. Leeg als ze niet gekend is (dan rekenen we met 1 juli).",
        "4",
    ),
    Field(
        "geslacht",
        "Geslacht",
        FieldType.CHOICE,
        True,
        "M, V, X of O (onbekend).",
        "V",
        SEXES,
        width=10,
    ),
    Field(
        "woonplaats",
        "Woonplaats",
        FieldType.RESIDENCE,
        True,
        "Waar de jongere woont: de NIS-code van de gemeente of statistische sector (zoals in de "
        f"ronde), of een Belgische postcode (4 cijfers); {RESIDENCE_ABROAD} voor wie in het "
        f"buitenland woont, {RESIDENCE_UNKNOWN} als het niet gekend is.",
        "3600",
    ),
    Field(
        "hulpvorm",
        "Hulpvorm",
        FieldType.CHOICE,
        True,
        "De code van de hulpvorm (zie het blad 'codes').",
        "CB",
        tuple((h.code, h.label) for h in HULPVORMEN.values()),
        width=10,
    ),
    Field(
        "toegang",
        "Toegang",
        FieldType.CHOICE,
        True,
        "RTJH (rechtstreeks toegankelijk) of NRTJH (via de toegangspoort of de jeugdrechter).",
        "RTJH",
        ACCESS,
        width=10,
    ),
    Field(
        "startdatum",
        "Startdatum",
        FieldType.DATE,
        True,
        "De dag waarop deze hulp begon (JJJJ-MM-DD of DD/MM/JJJJ), niet na de peildatum.",
        "2022-09-01",
    ),
    Field(
        "crisis",
        "Instroom via crisis",
        FieldType.YES_NO,
        True,
        "ja als de jongere via een crisisroute instroomde, anders nee.",
        "nee",
        YES_NO,
        width=10,
    ),
    Field(
        "toeleider",
        "Toeleider",
        FieldType.CHOICE,
        False,
        "Wie de jongere naar deze hulp leidde (zie het blad 'codes'); leeg als het niet gekend is.",
        "school_clb",
        REFERRERS,
    ),
    Field(
        "gemandateerd",
        "Gemandateerd",
        FieldType.YES_NO,
        False,
        "ja als de hulp gerechtelijk of door het OCJ gemandateerd is, anders nee; leeg als het "
        "niet gekend is.",
        "nee",
        YES_NO,
        width=12,
    ),
)

FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
COLUMNS: tuple[str, ...] = tuple(field.name for field in FIELDS)
REQUIRED: tuple[str, ...] = tuple(field.name for field in FIELDS if field.required)
