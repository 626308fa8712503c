"""The synthetic snapshot generator: children shared across rounds, residence weights."""

import datetime as dt

import numpy as np

from jeugdhulp.snapshot.synthetic import synthetic_snapshot

FIRST, SECOND = dt.date(2024, 2, 12), dt.date(2025, 2, 10)
CHILD = ["client_pseudoniem", "geboortejaar", "geslacht", "woonplaats"]


def draw(peildatum, seed, **options):
    return synthetic_snapshot(
        400,
        peildatum=peildatum,
        sites=["V1", "V2"],
        residences=["A", "B", "C"],
        seed=seed,
        children=500,
        child_seed="gedeeld",
        age_reference=SECOND,
        **options,
    )


def test_a_child_in_two_rounds_keeps_birth_year_sex_and_residence():
    first, second = draw(FIRST, 1), draw(SECOND, 2)
    both = (
        first[CHILD]
        .drop_duplicates()
        .merge(second[CHILD].drop_duplicates(), on="client_pseudoniem", suffixes=("_1", "_2"))
    )
    assert len(both) > 100  # 400 rows from a pool of 500: many children in both
    for column in CHILD[1:]:
        assert (both[f"{column}_1"] == both[f"{column}_2"]).all()


def test_children_born_after_an_earlier_peildatum_have_no_rows_then():
    first = draw(FIRST, 1)
    born = first["geboortejaar"].astype(int)
    month = first["geboortemaand"].replace("", "1").astype(int)
    assert ((born < FIRST.year) | ((born == FIRST.year) & (month <= FIRST.month))).all()
    # The later round, on the reference date, has the newborns too.
    assert draw(SECOND, 1)["geboortejaar"].astype(int).max() == SECOND.year


def test_residences_follow_the_given_weights():
    frame = draw(SECOND, 3, residence_weights=[0.0, 1.0, 3.0])
    children = frame.drop_duplicates("client_pseudoniem")["woonplaats"].value_counts()
    assert "A" not in children.index
    assert np.isclose(children["C"] / children["B"], 3.0, rtol=0.3)
