"""Property-based: schemathesis generates requests from the app's own OpenAPI schema and checks every answer
(no server error, status codes, content types and bodies as the schema says). In process, a few examples each."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings

from skinevidence.evidence.database import Database
from skinevidence.web import create_app

app = create_app(Database.open())
# A body over 1 MiB is refused with 413 before it is parsed: a valid refusal of schema-violating data too. And a
# 422 can answer schema-valid input that is unusable in ways a schema cannot say (an HTML page with no text).
config = schemathesis.config.SchemathesisConfig.from_dict({"checks": {
    "negative_data_rejection": {"expected-statuses": [400, 404, 405, 406, 413, 415, 422]},
    "positive_data_acceptance": {"expected-statuses": ["2xx", 404, 422]}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_contract(case):
    case.call_and_validate()
