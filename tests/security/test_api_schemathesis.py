"""Schemathesis: generated requests against every operation of /api/schema/.

No 5xx and every response conforms to the schema (documented bodies match,
content types match). Runs in-process through the WSGI application on the
test database, twice over every operation: with a centre staff member's token
(every line) and anonymously. Path ids are sometimes replaced with the id of a
real record (``matrix_world.World``: needs, pushes, alliances, pools,
licences, feeds, talents, projects...), so detail endpoints answer with real
bodies and not only 404. Examples per operation are bounded so the whole run
stays within about two minutes on PostgreSQL.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from portal.roles import Role
from tests.factories import PatentApplicantFactory, UserFactory

from .matrix_world import World

STAFF_EXAMPLES = 12
ANONYMOUS_EXAMPLES = 4
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


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


def _real_ids(world: World) -> dict[str, object]:
    """First path segment after /api/v1/ → an id of a real record there."""
    ids = {
        "alliances": world.alliance.pk,
        "events": world.event.pk,
        "needs": world.need.pk,
        "pushes": world.push.pk,
        "patents": world.patent.publication_number,
        "reporting": world.project.pk,
        "supply-items": world.supply_item.pk,
        "talents": world.talent.pk,
        "openlicense/feed/items": world.announced_declaration.pk,
        "trading/feed/deals": world.deal.pk,
        "trading/feed/listings": world.listing.pk,
        "trading/feed/needs": world.published_need.pk,
    }
    ids["patent-pools"] = world.pool.pk
    ids["pool-licences"] = world.pool_licence.pk
    return ids


@pytest.fixture
def api_world(db):
    for _ in range(3):
        PatentApplicantFactory()
    world = World()
    world.push_item  # noqa: B018 - a push with an item, for the feedback endpoint
    user = UserFactory(username="schemathesis", roles=[Role.STAFF], is_staff=True)
    token = Token.objects.create(user=user).key
    return token, _real_ids(world)


def _real_id_for(path: str, ids: dict[str, object]):
    rest = path.removeprefix("/api/v1/")
    for prefix in sorted(ids, key=len, reverse=True):
        if rest.startswith(prefix + "/"):
            return ids[prefix]
    return None


def _run_operation(operation, *, headers, examples, ids, statuses, failures):
    path_names = [p.name for p in operation.path_parameters]

    @given(case=operation.as_strategy(), use_real=st.booleans())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case, use_real):
        real = _real_id_for(operation.path, ids)
        if use_real and real is not None and len(path_names) == 1:
            case.path_parameters = {path_names[0]: real}
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses.append(response.status_code)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # report every failing operation
        failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])


def test_every_api_operation_never_5xx_and_conforms_to_its_schema(api_schema, api_world):
    # schemathesis' own pytest plugin does not run under pytest 9 yet; drive
    # each operation's Hypothesis strategy directly instead.
    token, ids = api_world
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40, f"the schema lists only {len(operations)} operations"
    staff: dict[str, list[int]] = {}
    anonymous: dict[str, list[int]] = {}
    failures: list[str] = []
    for operation in operations:
        key = f"{operation.method.upper()} {operation.path}"
        _run_operation(
            operation,
            headers={"Authorization": f"Token {token}"},
            examples=STAFF_EXAMPLES,
            ids=ids,
            statuses=staff.setdefault(key, []),
            failures=failures,
        )
        _run_operation(
            operation,
            headers={},
            examples=ANONYMOUS_EXAMPLES,
            ids=ids,
            statuses=anonymous.setdefault(key, []),
            failures=failures,
        )
    assert not failures, "\n\n".join(failures)
    # Real traffic reached the views: most reads answered the staff member with
    # a real body (not only 404/400), and anonymous callers were refused the
    # private endpoints while the public ones answered.
    reads = [key for key in staff if key.startswith("GET")]
    answered = [key for key in reads if 200 in staff[key]]
    writes_ok = [
        k for k, codes in staff.items() if not k.startswith("GET") and {200, 201} & set(codes)
    ]
    print(
        f"{len(operations)} operations, {sum(map(len, staff.values()))} staff calls, "
        f"{sum(map(len, anonymous.values()))} anonymous calls; "
        f"reads answered 200: {len(answered)}/{len(reads)}; "
        f"writes accepted (2xx): {len(writes_ok)}/{len(staff) - len(reads)}"
    )
    assert len(answered) >= 0.75 * len(reads), sorted(set(reads) - set(answered))
    refused = [key for key, codes in anonymous.items() if set(codes) <= {401, 403}]
    assert refused and len(refused) < len(anonymous)
