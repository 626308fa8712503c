"""The export files of a run, written once by the worker from the published result.

Only ``AnalysisResult.published`` (after disclosure control) and the published region table
are written; rounding and row order are those of ``indicatoren.csv`` of ``jeugdhulp analyze``
(:mod:`jeugdhulp.analysis.output`), so a web export and a CLI run of the same inputs agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from django.utils.translation import gettext_lazy as _

from jeugdhulp.analysis.output import ordered, rounded, write_csv, write_geopackage
from jeugdhulp.analysis.pipeline import AnalysisResult
from jeugdhulp.analysis.report import HIDDEN
from jeugdhulp.data.cells import safe_frame
from jeugdhulp.data.xlsx_writer import write_workbook


@dataclass(frozen=True)
class Export:
    key: str
    filename: str
    content_type: str
    label: str


EXPORTS = (
    Export("csv", "indicatoren.csv", "text/csv; charset=utf-8", _("CSV (komma)")),
    Export(
        "csv-puntkomma",
        "indicatoren-puntkomma.csv",
        "text/csv; charset=utf-8",
        _("CSV voor Belgische Excel (puntkomma, decimale komma)"),
    ),
    Export(
        "xlsx",
        "indicatoren.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _("Excel (XLSX)"),
    ),
    Export("gpkg", "gebieden.gpkg", "application/geopackage+sqlite3", _("GeoPackage (QGIS)")),
    Export("parquet", "indicatoren.parquet", "application/vnd.apache.parquet", _("Parquet")),
    Export("manifest", "manifest.json", "application/json", _("Manifest (reproduceerbaarheid)")),
)
BY_KEY = {export.key: export for export in EXPORTS}


def write_semicolon_csv(result: AnalysisResult, path: Path) -> None:
    """As Belgian Excel reads a CSV: ``;`` between fields, a decimal comma, UTF-8 with BOM."""
    safe_frame(rounded(ordered(result))).to_csv(
        path, sep=";", decimal=",", index=False, encoding="utf-8-sig", lineterminator="\r\n"
    )


def write_xlsx(result: AnalysisResult, path: Path) -> None:
    """Sheets ``indicatoren`` (as the CSV), ``regio`` and ``toelichting``."""
    note = pd.DataFrame(
        {
            "toelichting": [
                f"Lege cellen: {HIDDEN} (aantallen van 1 tot {result.params.threshold - 1} en "
                "alles wat ze zou verraden).",
                "Een verschil tussen verwacht en werkelijk gebruik is een vraag, geen oordeel.",
                f"Peildatum {result.params.peildatum.isoformat()}, seed {result.params.seed}.",
            ]
        }
    )
    write_workbook(
        path,
        [
            ("indicatoren", rounded(ordered(result))),
            ("regio", rounded(result.region)),
            ("toelichting", note),
        ],
    )


def write_parquet(result: AnalysisResult, path: Path) -> None:
    rounded(ordered(result)).to_parquet(path, index=False, engine="pyarrow")


def write_exports(result: AnalysisResult, folder: Path, manifest: dict) -> None:
    """Every file of :data:`EXPORTS` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(result, folder / BY_KEY["csv"].filename)
    write_semicolon_csv(result, folder / BY_KEY["csv-puntkomma"].filename)
    write_xlsx(result, folder / BY_KEY["xlsx"].filename)
    gpkg = folder / BY_KEY["gpkg"].filename
    gpkg.unlink(missing_ok=True)
    write_geopackage(result, gpkg)
    write_parquet(result, folder / BY_KEY["parquet"].filename)
    (folder / BY_KEY["manifest"].filename).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
