"""Schemathesis: generated requests against every operation of /api/schema/.

No 5xx and every response conforms to the schema (status code documented,
body matches). Runs in-process through the WSGI application, authenticated
with a token, on the test database with real patents from the factories.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from portal.roles import Role
from tests.factories import PatentApplicantFactory, UserFactory


@pytest.fixture
def api_schema(db):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from portal.wsgi import application

    # Like Django's test client: a request must not close the test transaction's
    # connection (on PostgreSQL it would, at request_finished).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(db) -> str:
    for _ in range(3):
        PatentApplicantFactory()
    user = UserFactory(username="schemathesis", roles=[Role.STAFF])
    return Token.objects.create(user=user).key


def test_api_never_5xx_and_conforms_to_its_schema(api_schema, api_token):
    # schemathesis' own pytest plugin does not run under pytest 9 yet; drive
    # each operation's Hypothesis strategy directly instead.
    from hypothesis import given
    from schemathesis.checks import not_a_server_error

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert operations, "the schema lists no operations"
    headers = {"Authorization": f"Token {api_token}"}

    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call_and_validate(
                headers=headers,
                checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
            )
            statuses.append(response.status_code)

        run()
    # Real traffic reached the views: successful answers among the generated calls.
    assert len(statuses) >= 10 * len(operations) and 200 in statuses
