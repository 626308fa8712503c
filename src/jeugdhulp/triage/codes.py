"""The code lists of an assessment: CAP-J (nature of the problem) and STEP (severity).

Kept free of Django so the rule engine and notebooks can use them. Labels are marked with
``gettext_noop`` so ``makemessages`` collects them; the screens translate them when shown.

CAP-J (Classificatie Aard Problematiek Jeugdigen, Nederlands Jeugdinstituut) is a hierarchy of
five axes (A–E), groups (axis letter + hundreds, e.g. ``A200``) and rubrics within a group
(e.g. ``A201``). The axes and the code pattern are CAP-J's; the group list and every label here
are our own short wording (NJi's descriptions are not reproduced). A rubric code is accepted
under any group we list.

STEP (Standaard Taxatie Ernst Problematiek, NJi) scores 15 items from 1 (no problem) to 5 (very
serious) on four scales: functioning of the young person (FJ), quality of the environment (KO),
weight of care (ZZ) and urgency of care (UZ). The item wording is ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


def gettext_noop(text: str) -> str:
    """Marks a label for translation without importing Django (translated when displayed)."""
    return text


CAPJ_AXES: dict[str, str] = {
    "A": gettext_noop("Psychosociaal functioneren van de jongere"),
    "B": gettext_noop("Lichamelijke gezondheid"),
    "C": gettext_noop("Vaardigheden en ontwikkeling"),
    "D": gettext_noop("Gezin en opvoeding"),
    "E": gettext_noop("Jongere en omgeving"),
}

CAPJ_GROUPS: dict[str, str] = {
    "A100": gettext_noop("Emotionele problemen"),
    "A200": gettext_noop("Gedragsproblemen"),
    "A300": gettext_noop("Problemen met zelfbeeld en identiteit"),
    "A400": gettext_noop("Verslavingsgedrag"),
    "B100": gettext_noop("Ziekte of beperking"),
    "B200": gettext_noop("Verwaarlozing van de gezondheid"),
    "C100": gettext_noop("Problemen met leren"),
    "C200": gettext_noop("Problemen in de ontwikkeling"),
    "C300": gettext_noop("Sociale vaardigheden"),
    "D100": gettext_noop("Opvoedingsvaardigheden van de ouders"),
    "D200": gettext_noop("Relaties in het gezin"),
    "D300": gettext_noop("Problemen van de ouders zelf"),
    "D400": gettext_noop("Onveiligheid in het gezin"),
    "E100": gettext_noop("School en werk"),
    "E200": gettext_noop("Vrije tijd en vrienden"),
    "E300": gettext_noop("Materiële omstandigheden"),
    "E400": gettext_noop("Justitiecontact"),
}

# An axis ("D"), a group ("D200") or a rubric ("D201").
CAPJ_CODE = re.compile(r"^[A-E]([1-9]\d\d)?$")


@dataclass(frozen=True)
class StepItem:
    code: str
    scale: str
    label: str


STEP_SCALES: dict[str, str] = {
    "FJ": gettext_noop("Functioneren van de jongere"),
    "KO": gettext_noop("Kwaliteit van de omgeving"),
    "ZZ": gettext_noop("Zwaarte van de zorg"),
    "UZ": gettext_noop("Urgentie van de zorg"),
}

STEP_ITEMS: tuple[StepItem, ...] = (
    StepItem("FJ1", "FJ", gettext_noop("Lichamelijk welzijn en zelfzorg")),
    StepItem("FJ2", "FJ", gettext_noop("Emoties en stemming")),
    StepItem("FJ3", "FJ", gettext_noop("Gedrag tegenover anderen")),
    StepItem("FJ4", "FJ", gettext_noop("School, werk of dagbesteding")),
    StepItem("FJ5", "FJ", gettext_noop("Contacten met leeftijdgenoten")),
    StepItem("KO1", "KO", gettext_noop("Zorg en opvoeding door de ouders")),
    StepItem("KO2", "KO", gettext_noop("Sfeer en relaties in het gezin")),
    StepItem("KO3", "KO", gettext_noop("Steun uit het netwerk")),
    StepItem("KO4", "KO", gettext_noop("Bestaanszekerheid (wonen, inkomen)")),
    StepItem("ZZ1", "ZZ", gettext_noop("Intensiteit van de nodige hulp")),
    StepItem("ZZ2", "ZZ", gettext_noop("Aantal betrokken hulpverleners")),
    StepItem("ZZ3", "ZZ", gettext_noop("Verwachte duur van de hulp")),
    StepItem("UZ1", "UZ", gettext_noop("Veiligheid van de jongere")),
    StepItem("UZ2", "UZ", gettext_noop("Risico op escalatie")),
    StepItem("UZ3", "UZ", gettext_noop("Draagkracht van het gezin nu")),
)
STEP_ITEM_CODES: tuple[str, ...] = tuple(item.code for item in STEP_ITEMS)
STEP_ITEMS_SET = frozenset(STEP_ITEM_CODES)
SCORE_MIN, SCORE_MAX = 1, 5


def scale_items(scale: str) -> tuple[str, ...]:
    return tuple(item.code for item in STEP_ITEMS if item.scale == scale)


def capj_label(code: str) -> str:
    """The label of an axis or group; a rubric gets its group's label."""
    if code in CAPJ_AXES:
        return CAPJ_AXES[code]
    return CAPJ_GROUPS.get(code[:2] + "00", "")


def invalid_capj_codes(codes: Iterable[str]) -> list[str]:
    """The codes that are not an axis, a listed group or a rubric of a listed group."""
    return [
        code
        for code in codes
        if not CAPJ_CODE.match(code) or (len(code) > 1 and code[:2] + "00" not in CAPJ_GROUPS)
    ]


def invalid_scores(scores: dict[str, object]) -> list[str]:
    """Problems with a set of STEP item scores (Dutch sentences); empty when they are complete."""
    problems = []
    for code in STEP_ITEM_CODES:
        value = scores.get(code)
        if value is None:
            problems.append(f"item {code}: ontbreekt")
        elif not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"item {code}: waarde '{value}' is geen geheel getal")
        elif not SCORE_MIN <= value <= SCORE_MAX:
            problems.append(f"item {code}: waarde '{value}' ligt niet tussen 1 en 5")
    unknown = [code for code in scores if code not in STEP_ITEMS_SET]
    problems += [f"item {code}: onbekend STEP-item" for code in unknown]
    return problems


def scale_totals(scores: dict[str, int]) -> dict[str, int]:
    """Sum of the item scores per STEP scale."""
    return {scale: sum(scores[code] for code in scale_items(scale)) for scale in STEP_SCALES}
