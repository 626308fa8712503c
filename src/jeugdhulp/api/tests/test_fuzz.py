"""The API fuzzed from its own OpenAPI document (schemathesis, in-process): no server errors."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from jeugdhulp.api.tokens import issue
from jeugdhulp.wsgi import application

# The request monitor's API v1 (other apps fuzz their own endpoints).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(
    path_regex="^/api/v1/"
)


@pytest.fixture
def token(world, request_in):
    return issue(world["voorziening"])[1]


@pytest.fixture
def keep_test_connection():
    """The app is called directly, not through Django's test client: keep it from closing the
    test's database connection at the end of each request, as the test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_has_no_server_errors(case, token, keep_test_connection):
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=[not_a_server_error])
