"""Numbers as a Belgian Dutch reader writes them, for every page, chart and report."""

from __future__ import annotations


def dutch_number(value: float, decimals: int) -> str:
    """``1.234,5``: a dot between thousands, a comma before the decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")
