"""Synthetic snapshots (fictional children, never real ones) for the demo, tests and benchmarks.

Ages, forms of help and access are drawn with proportions loosely modelled on Flemish youth
care: most help is directly accessible (RTJH), residential care mostly for teenagers, a few
percent enter through crisis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from jeugdhulp.snapshot import schema

# (code, weight, share NRTJH) for the default catalogue.
_FORMS = (
    ("BI", 14, 0.0),
    ("IA", 6, 0.0),
    ("KP", 12, 0.0),
    ("DI", 8, 0.3),
    ("CB", 16, 0.35),
    ("DB", 5, 0.0),
    ("BH", 14, 0.2),
    ("TR", 4, 0.0),
    ("CO", 2, 0.0),
    ("PZ", 6, 0.7),
    ("VB", 7, 1.0),
    ("CR", 4, 0.5),
    ("HA", 2, 1.0),
)
_REFERRERS = [code for code, _ in schema.REFERRERS]


def synthetic_pseudonym(seed: str, number: int) -> str:
    """A made-up 64-hex pseudonym; the same (seed, number) gives the same child."""
    return hashlib.sha256(f"fictief:{seed}:{number}".encode()).hexdigest()


def synthetic_snapshot(
    rows: int,
    *,
    peildatum: dt.date,
    sites: Sequence[str],
    residences: Sequence[str],
    seed: int = 0,
    children: int | None = None,
    child_seed: str = "kind",
    residence_weights: Sequence[float] | None = None,
    age_reference: dt.date | None = None,
) -> pd.DataFrame:
    """A snapshot file's content (all strings, as a partner would write it).

    Parameters
    ----------
    rows: number of rows (client x form of help).
    sites, residences: codes to draw from (residences weighted towards the first ones).
    children: size of the pool of children the rows are drawn from (default ``rows * 0.8``);
        pseudonyms come from ``child_seed``, so two partners sharing it share children.
    residence_weights: relative chance of each residence (same length as ``residences``), e.g.
        population times relative risk; default falls off as 1/sqrt(rank).
    age_reference: the date on which the pool's ages (0–25 years) hold, default the peildatum.
        Rounds sharing ``child_seed`` and ``age_reference`` give a child the same birth date in
        each; children born after this peildatum have no rows.
    """
    rng = np.random.default_rng(seed)
    pool = children or max(1, int(rows * 0.8))
    child = rng.choice(pool, size=rows, replace=True)
    # Each child has one birth date, sex and residence, whatever the row.
    child_rng = np.random.default_rng(
        int.from_bytes(hashlib.sha256(child_seed.encode()).digest()[:8], "little")
    )
    age_days = child_rng.integers(0, 25 * 365, size=pool)
    sex = child_rng.choice(["M", "V", "X", "O"], p=[0.52, 0.46, 0.005, 0.015], size=pool)
    if residence_weights is None:
        weights = 1.0 / np.arange(1, len(residences) + 1) ** 0.5
    else:
        weights = np.asarray(residence_weights, dtype=float)
    home = child_rng.choice(len(residences), p=weights / weights.sum(), size=pool)

    codes = np.array([f for f, _, _ in _FORMS])
    form_weights = np.array([w for _, w, _ in _FORMS], dtype=float)
    form_index = rng.choice(len(codes), p=form_weights / form_weights.sum(), size=rows)
    nrtjh = rng.random(rows) < np.array([n for _, _, n in _FORMS])[form_index]

    peil = pd.Timestamp(peildatum)
    birth = pd.Timestamp(age_reference or peildatum) - pd.to_timedelta(age_days[child], unit="D")
    since_birth = (peil - birth).days.to_numpy()  # pyright: ignore[reportAttributeAccessIssue] - pandas types Timestamp - DatetimeIndex as a number
    born = since_birth >= 0
    running = np.minimum(rng.exponential(300, size=rows).astype(int), np.maximum(since_birth, 0))
    start = peil - pd.to_timedelta(running, unit="D")
    crisis = (codes[form_index] == "CR") | (rng.random(rows) < 0.03)
    # Under one year the month must be known, or 1 July could fall after the peildatum.
    month_known = (rng.random(rows) < 0.9) | (since_birth < 366)
    referrer = np.where(rng.random(rows) < 0.8, rng.choice(_REFERRERS, size=rows), "")
    mandated = np.where(nrtjh & (rng.random(rows) < 0.4), "ja", "nee")

    frame = pd.DataFrame(
        {
            "vestiging": np.asarray(sites)[rng.integers(0, len(sites), size=rows)],
            "client_pseudoniem": [synthetic_pseudonym(child_seed, int(c)) for c in child],
            "geboortejaar": birth.year.astype(str),
            "geboortemaand": np.where(month_known, birth.month.astype(str), ""),
            "geslacht": sex[child],
            "woonplaats": np.asarray(residences)[home[child]],
            "hulpvorm": codes[form_index],
            "toegang": np.where(nrtjh, "NRTJH", "RTJH"),
            "startdatum": start.strftime("%Y-%m-%d"),
            "crisis": np.where(crisis, "ja", "nee"),
            "toeleider": referrer,
            "gemandateerd": mandated,
        }
    )
    # The same child twice at one site in one form of help is a duplicate: keep the first.
    return (
        frame[born]
        .drop_duplicates(["client_pseudoniem", "vestiging", "hulpvorm"])  # pyright: ignore[reportCallIssue] - pandas types list[str] as no Sequence[Hashable]
        .reset_index(drop=True)
    )
