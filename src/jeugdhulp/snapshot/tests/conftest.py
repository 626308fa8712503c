"""Helpers to write small snapshot files."""

from __future__ import annotations

import datetime as dt

import pytest

from jeugdhulp.snapshot.schema import COLUMNS

PEILDATUM = dt.date(2023, 2, 10)
HEX_A = "a" * 64
HEX_B = "b" * 64


def good_row(**changes: str) -> dict[str, str]:
    row = {
        "vestiging": "V001",
        "client_pseudoniem": HEX_A,
        "geboortejaar": "2010",
        "geboortemaand": "4",
        "geslacht": "V",
        "woonplaats": "3600",
        "hulpvorm": "CB",
        "toegang": "RTJH",
        "startdatum": "2022-09-01",
        "crisis": "nee",
        "toeleider": "school_clb",
        "gemandateerd": "nee",
    }
    row.update(changes)
    return row


@pytest.fixture
def snapshot_file(tmp_path):
    """``snapshot_file([row, ...])`` -> a ``;``-separated CSV with the format's columns."""

    def write(rows, *, name="partner.csv", columns=COLUMNS, encoding="utf-8"):
        lines = [";".join(columns)]
        lines += [";".join(row.get(c, "") for c in columns) for row in rows]
        path = tmp_path / name
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return path

    return write
