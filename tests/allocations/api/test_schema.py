"""The served OpenAPI schema, fuzzed in-process by schemathesis (through the WSGI app, as a
district system would call it with a token): no request it can build makes a server error."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from staffing.api.policy import PersonThrottle, TokenThrottle
from tests.api_personas import client_as, issue

# Examples per operation: 34 operations, so the whole run stays well under a minute.
EXAMPLES = 12


def test_the_schema_and_its_pages_are_served(db):
    client = client_as()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert schema["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/docs/redoc/").status_code == 200


@pytest.fixture
def _connection_kept():
    """Keep the test's database connection through each request, as Django's test client
    does: the WSGI handler would close it at the end of the request, inside the test's
    transaction."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("_connection_kept")
def test_no_request_the_schema_allows_makes_a_server_error(
    worlds, district_a, director_a, monkeypatch
):
    unlimited = {"person": "100000/minute", "token": "100000/minute"}
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", unlimited)
    monkeypatch.setattr(PersonThrottle, "THROTTLE_RATES", unlimited)
    headers = {"Authorization": f"Bearer {issue(district_a, director_a)}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    tried = []

    for operation in operations:
        _fuzz(operation, headers, tried)

    assert len(operations) == 34
    assert set(tried) == {operation.label for operation in operations}


def _fuzz(operation, headers, tried):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])
        tried.append(operation.label)

    fuzz()
