"""The settings of API tokens and the password-reset limit (issue #12, findings 11 and 12)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jeugdhulp import envconfig
from jeugdhulp.envconfig import ConfigurationError

RESET_NAMES = [name for name, _ in envconfig.PASSWORD_RESET_LIMITS.values()]


def not_a_number(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return bool(text.strip())
    return False


def test_api_tokens_last_90_days_by_default():
    assert envconfig.api_token_days({}) == 90
    assert envconfig.api_token_days({"JEUGDHULP_API_TOKEN_DAYS": " "}) == 90


@given(st.integers(min_value=1, max_value=3650))
def test_api_token_days_within_bounds_are_taken(days):
    assert envconfig.api_token_days({"JEUGDHULP_API_TOKEN_DAYS": str(days)}) == days


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=3651)))
def test_api_tokens_cannot_be_made_endless(days):
    with pytest.raises(ConfigurationError, match="JEUGDHULP_API_TOKEN_DAYS"):
        envconfig.api_token_days({"JEUGDHULP_API_TOKEN_DAYS": str(days)})


@given(st.text().filter(not_a_number))
def test_api_token_days_that_are_no_number_are_a_clear_error(raw):
    with pytest.raises(ConfigurationError, match="JEUGDHULP_API_TOKEN_DAYS"):
        envconfig.api_token_days({"JEUGDHULP_API_TOKEN_DAYS": raw})


def test_password_reset_limits_default_to_3_per_address_and_20_per_ip_an_hour():
    assert envconfig.password_reset_limits({}) == {
        "per_address": 3,
        "per_ip": 20,
        "window_minutes": 60,
    }


@given(st.tuples(*[st.integers(min_value=1, max_value=10**6)] * 3))
def test_password_reset_limits_are_read(values):
    env = {name: str(value) for name, value in zip(RESET_NAMES, values, strict=True)}
    limits = envconfig.password_reset_limits(env)
    assert tuple(limits.values()) == values


@given(st.sampled_from(RESET_NAMES), st.integers(max_value=0))
def test_a_password_reset_limit_below_one_is_refused(name, value):
    with pytest.raises(ConfigurationError, match=name):
        envconfig.password_reset_limits({name: str(value)})


@given(st.sampled_from(RESET_NAMES), st.text().filter(not_a_number))
def test_a_password_reset_limit_that_is_no_number_is_refused(name, raw):
    with pytest.raises(ConfigurationError, match=name):
        envconfig.password_reset_limits({name: raw})
