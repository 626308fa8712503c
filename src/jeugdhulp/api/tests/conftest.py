from jeugdhulp.aanmeldingen.tests.conftest import (  # noqa: F401 - shared fixtures
    field_keys,
    municipalities,
    request_in,
    world,
)
