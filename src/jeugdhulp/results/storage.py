"""A run's files in its folder (``AnalysisRun.folder``, under the private ``MEDIA_ROOT``): the
folder emptied for a new result, and the map's outlines written once, plain and gzipped, and
read back for the report."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import geopandas as gpd

GEOJSON = "gebieden.geojson"
GEOJSON_GZ = GEOJSON + ".gz"


def clear_folder(folder: Path) -> None:
    """Remove ``folder`` and everything in it (an earlier result of the same run)."""
    if folder.exists():
        shutil.rmtree(folder)


def write_outlines(folder: Path, geojson: str) -> None:
    """The map's outlines as ``gebieden.geojson`` and, for browsers that accept gzip, the same
    bytes compressed (``mtime=0``: the same outlines give the same file)."""
    outlines = geojson.encode("utf-8")
    (folder / GEOJSON).write_bytes(outlines)
    (folder / GEOJSON_GZ).write_bytes(gzip.compress(outlines, mtime=0))


def read_outlines(folder: Path) -> gpd.GeoDataFrame:
    """The stored outlines (``code``, ``naam``, ``geometry``)."""
    frame = gpd.read_file(folder / GEOJSON, engine="pyogrio")
    return frame.rename(columns={"id": "code"})[["code", "naam", "geometry"]]
