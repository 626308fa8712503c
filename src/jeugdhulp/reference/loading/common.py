"""What the loaders share: the report of a load, its audit line, and matching area codes to
the areas of a vintage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record
from jeugdhulp.data import mergers
from jeugdhulp.data.codes import ascii_digits
from jeugdhulp.data.errors import InputError, Problem, Severity
from jeugdhulp.reference.models import Area

WGS84 = "EPSG:4326"


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


def audit_load(kind: str, source: str, report: LoadReport) -> None:
    record(
        AuditAction.UPDATE,
        f"{kind} geladen uit {source}: {report.summary()}",
        object_type=f"reference.load_{kind}",
    )


def resolve_codes(
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
