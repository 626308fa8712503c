"""The API fuzzed from its own OpenAPI document (schemathesis, in-process): no server errors."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from jeugdhulp.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def token(world, request_in):
    return Token.objects.get_or_create(user=world["voorziening"])[0].key


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_has_no_server_errors(case, token):
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=[not_a_server_error])
