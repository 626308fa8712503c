"""The request monitor's small world, for the project-wide tests of every app's answers."""

from jeugdhulp.aanmeldingen.tests.conftest import (  # noqa: F401 - fixtures used here
    field_keys,
    municipalities,
    request_in,
    world,
)
