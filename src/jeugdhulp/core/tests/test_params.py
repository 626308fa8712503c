"""A query parameter that should be an id: junk answers 400 with a Dutch page (#12 finding 10)."""

from __future__ import annotations

import pytest
from django.core.exceptions import BadRequest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from jeugdhulp.core.params import MAX_ID, id_param, text_param


def _get(**query):
    return RequestFactory().get("/", query)


@given(st.integers(1, MAX_ID))
def test_a_valid_id_is_read_as_a_number(n):
    assert id_param(_get(vorige=str(n)), "vorige") == n


@given(st.text(max_size=30).filter(lambda t: not t.strip().isdecimal() and t.strip() != ""))
def test_anything_else_is_a_bad_request(junk):
    with pytest.raises(BadRequest):
        id_param(_get(vorige=junk), "vorige")


@pytest.mark.parametrize("junk", ["0", "-1", str(MAX_ID + 1), "1.5", "\x00"])
def test_out_of_range_and_non_integer_ids_are_bad_requests(junk):
    with pytest.raises(BadRequest):
        id_param(_get(vorige=junk), "vorige")


def test_absent_or_empty_is_none():
    assert id_param(_get(), "vorige") is None
    assert id_param(_get(vorige=""), "vorige") is None


@given(st.text(max_size=50).filter(lambda t: "\x00" not in t))
def test_text_without_nul_is_read_as_it_is_stripped(text):
    assert text_param(_get(gebied=text), "gebied", "ALLE") == (text.strip() or "ALLE")


@pytest.mark.parametrize("junk", ["\x00", "A\x0000", "x" * 201])
def test_nul_or_overlong_text_is_a_bad_request(junk):
    with pytest.raises(BadRequest):
        text_param(_get(gebied=junk), "gebied")
