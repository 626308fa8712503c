"""The request monitor's small world (a network, its partners, a user per role, a request)."""

from jeugdhulp.aanmeldingen.tests.conftest import (  # noqa: F401 - fixtures used here
    field_keys,
    municipalities,
    request_in,
    world,
)
