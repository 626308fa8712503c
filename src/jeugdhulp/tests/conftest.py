"""Fixtures of the apps, for the project-wide tests of every app's answers: the request
monitor's small world and the results' small analysed region."""

from jeugdhulp.aanmeldingen.tests.conftest import (  # noqa: F401 - fixtures used here
    field_keys,
    municipalities,
    request_in,
    world,
)
from jeugdhulp.results.tests.conftest import analysed, small_inputs  # noqa: F401
