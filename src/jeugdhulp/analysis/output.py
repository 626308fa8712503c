"""Writing a run's published (disclosure-controlled) result: CSV, GeoPackage, manifest, report.

Only ``AnalysisResult.published``, ``.region`` and ``.outside`` are written; the raw indicators
never leave memory. ``indicatoren.csv`` is byte-identical for the same inputs and seed: rows in a
fixed order, numbers rounded to fixed decimals, ``\\n`` line ends.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio

from jeugdhulp.analysis.pipeline import AnalysisResult
from jeugdhulp.analysis.report import render_report
from jeugdhulp.data.cells import safe_frame
from jeugdhulp.data.frames import column_of

# Decimals per column (prefix match); counts are whole numbers.
DECIMALS = {
    "inwoners": 0,
    "verwacht": 2,
    "bereik": 2,
    "ratio": 3,
    "kans_boven_1": 3,
    "toegankelijkheid": 3,
    "onvervulde_nood": 2,
    "mediaan_leeftijd": 1,
    "mediaan_afstand_km": 2,
    "p90_afstand_km": 2,
    "aandeel": 4,
}
_SYNCHRONOUS = "OGR_SQLITE_SYNCHRONOUS"
# The manifest's rows read per file are rounded to this (see docs/en/disclosure.md).
ROWS_BASE = 100
# The libraries a run computes with (statsmodels, libpysal and esda only check it in the tests).
SOFTWARE = (
    "jeugdhulp",
    "numpy",
    "pandas",
    "geopandas",
    "shapely",
    "pyproj",
    "scipy",
    "pyogrio",
)


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks of 1 MiB.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    str
        The hexadecimal digest.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Fixed decimals per column (:data:`DECIMALS`); counts as nullable integers.

    Parameters
    ----------
    frame : pandas.DataFrame
        Published indicators.

    Returns
    -------
    pandas.DataFrame
        A copy with floats rounded and counts as ``Int64`` (empty when hidden).
    """
    out = frame.copy()
    for column in out.columns:
        if column == "aantal_clienten":
            out[column] = out[column].round().astype("Int64")
            continue
        if not pd.api.types.is_float_dtype(out[column]):
            continue
        for prefix, decimals in DECIMALS.items():
            if column.startswith(prefix):
                out[column] = out[column].round(decimals)
                if decimals == 0:
                    out[column] = out[column].astype("Int64")
                break
    return out


def ordered(result: AnalysisResult) -> pd.DataFrame:
    """The published indicators, by area code and then form of help (``ALLE`` last).

    Parameters
    ----------
    result : AnalysisResult
        A finished run.

    Returns
    -------
    pandas.DataFrame
        ``result.published`` in output order.
    """
    order = {form: i for i, form in enumerate(result.hulpvormen)}
    frame = result.published.assign(_f=column_of(result.published, "hulpvorm").map(order))
    return frame.sort_values(["gebied_code", "_f"], kind="stable").drop(columns="_f")


def write_csv(result: AnalysisResult, path: Path, *, sep: str = ",") -> None:
    """Write ``indicatoren.csv``: the published indicators, rounded, in output order.

    Parameters
    ----------
    result : AnalysisResult
        A finished run.
    path : pathlib.Path
        The file to write (UTF-8, ``\\n`` line ends).
    sep : {",", ";"}
        The field separator (``;`` for Belgian Excel).
    """
    float_text(safe_frame(rounded(ordered(result)))).to_csv(
        path, sep=sep, index=False, encoding="utf-8", lineterminator="\n"
    )


def float_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns as the text ``to_csv`` writes for them (the shortest repr, empty for NaN).

    Formatted only where a cell is filled: after disclosure control most cells are empty, and
    Python formats a float faster than numpy's ``astype(str)``, which ``to_csv`` uses.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table.

    Returns
    -------
    pandas.DataFrame
        A copy with every float64 column as text.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype != np.float64:
            continue
        values = out[column].to_numpy()
        filled = ~np.isnan(values)
        text = np.full(len(values), "", dtype=object)
        text[filled] = list(map(repr, values[filled].tolist()))
        out[column] = text
    return out


def write_geopackage(result: AnalysisResult, path: Path) -> None:
    """Write ``gebieden.gpkg``: one layer per form of help (layer name = the code, ``ALLE`` too).

    Same columns as the CSV, geometry in the areas' CRS. SQLite's synchronous writes are
    switched off while writing (the file is the same): they made GDAL wait for the disk after
    each layer, and ``write_all`` writes into a staging folder anyway, so a crash never leaves a
    half-written file in the output folder.

    Parameters
    ----------
    result : AnalysisResult
        A finished run.
    path : pathlib.Path
        The file to write.
    """
    geometry = result.areas.set_index("code").geometry
    frame = rounded(ordered(result))
    previous = pyogrio.get_gdal_config_option(_SYNCHRONOUS)
    pyogrio.set_gdal_config_options({_SYNCHRONOUS: "OFF"})
    try:
        for form, rows in frame.groupby("hulpvorm", sort=False):
            layer = rows.set_geometry(geometry.reindex(rows["gebied_code"]).to_numpy())
            layer = layer.set_crs(result.areas.crs)
            layer.to_file(path, layer=str(form), driver="GPKG", engine="pyogrio", use_arrow=True)
    finally:
        pyogrio.set_gdal_config_options({_SYNCHRONOUS: previous})


def manifest(
    result: AnalysisResult,
    inputs: Iterable[tuple[str, Path]],
    *,
    rows_read: dict[str, int] | None = None,
    options: dict | None = None,
) -> dict:
    """Everything needed to reproduce the run (no counts that disclosure control hides).

    Parameters
    ----------
    result : AnalysisResult
        A finished run.
    inputs : Iterable of (str, pathlib.Path)
        Role (``gebieden``, ``bevolking``, ...) and path of each input file: checksummed.
    rows_read : dict of str to int or None
        Rows read per snapshot file; published rounded (:func:`rows_read_published`).
    options : dict or None
        Further parameters to record (e.g. the CSV separator).

    Returns
    -------
    dict
        The manifest (JSON-ready): format, inputs with SHA-256 and size in bytes, rows read,
        parameters, seed, software versions of :data:`SOFTWARE`, forms of help, age bands,
        areas, smoothing moments, model fits, warnings and the output files.
    """
    versions = {}
    for name in SOFTWARE:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    versions["python"] = platform.python_version()
    return {
        "formaat": "jeugdhulp-analyse/1",
        "invoer": [
            {
                "rol": role,
                "bestand": path.name,
                "sha256": sha256_of(path),
                "bytes": path.stat().st_size,
            }
            for role, path in inputs
        ],
        "rijen_gelezen": rows_read_published(rows_read or {}),
        "parameters": result.params.as_dict() | (options or {}),
        "seed": result.params.seed,
        "software": versions,
        "hulpvormen": result.hulpvormen,
        "leeftijdsklassen": [f"{lo}-{hi}" for lo, hi in result.bands],
        "gebieden": len(result.areas),
        "empirische_bayes": _clean(result.smoothing),
        "covariatenmodel": _clean(result.models),
        "clusters": _clean(result.clusters),
        "funnel": _clean(result.funnel),
        "vergelijkingsgroepen": _clean(result.comparison),
        "waarschuwingen": result.warnings,
        "uitvoer": ["indicatoren.csv", "gebieden.gpkg", "rapport.html", "manifest.json"],
    }


def rows_read_published(rows_read: dict[str, int]) -> dict[str, int]:
    """Rows read per file, rounded to the nearest multiple of :data:`ROWS_BASE`.

    Exact numbers minus the published totals per form would give the hidden table of children
    outside the areas.

    Parameters
    ----------
    rows_read : dict of str to int
        Rows read per file name.

    Returns
    -------
    dict of str to int
        The same, rounded.
    """
    return {name: int(ROWS_BASE * round(n / ROWS_BASE)) for name, n in rows_read.items()}


def _clean(value):
    """JSON-safe: floats rounded to 6 significant digits, NaN → null."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float | np.floating):
        return None if not np.isfinite(value) else float(f"{float(value):.6g}")
    return value


def write_all(
    result: AnalysisResult,
    out: Path,
    inputs: Iterable[tuple[str, Path]],
    *,
    sep: str = ",",
    rows_read: dict[str, int] | None = None,
    options: dict | None = None,
) -> list[Path]:
    """Write the four files into ``out`` (CSV, GeoPackage, report, manifest).

    They are written into a temporary folder next to it first, then moved, so an interrupted
    run never leaves a half-written mix.

    Parameters
    ----------
    result : AnalysisResult
        A finished run.
    out : pathlib.Path
        The output folder (created when missing).
    inputs : Iterable of (str, pathlib.Path)
        The input files, for the manifest (:func:`manifest`).
    sep : {",", ";"}
        The CSV's field separator.
    rows_read : dict of str to int or None
        Rows read per snapshot file, for the manifest.
    options : dict or None
        Further parameters for the manifest.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".jeugdhulp-", dir=out))
    try:
        write_csv(result, staging / "indicatoren.csv", sep=sep)
        write_geopackage(result, staging / "gebieden.gpkg")
        (staging / "rapport.html").write_text(render_report(result), encoding="utf-8")
        data = manifest(result, inputs, rows_read=rows_read, options=options)
        (staging / "manifest.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n",
            encoding="utf-8",
        )
        written = []
        for name in data["uitvoer"]:
            target = out / name
            if target.exists():
                target.unlink()
            shutil.move(staging / name, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
