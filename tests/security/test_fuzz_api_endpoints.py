"""Malformed input on every API endpoint is a 4xx, never a 500 (issue 24, low findings).

On the old main a deeply nested JSON body raised RecursionError in DRF's parser:
a 500 on any endpoint that reads a body. The walk covers every API route the
resolver knows (tests/security/urlwalk.py), as staff and as an enterprise user,
with hostile bodies and query parameters.
"""

from __future__ import annotations

import json

import pytest

from .matrix_world import World
from .test_permission_matrix import ROUTES, _build_url, _route_params

DEEP = b"[" * 50_000 + b"]" * 50_000
DEEP_OBJECT = b'{"a":' * 5_000 + b"1" + b"}" * 5_000
BODIES = [
    DEEP,
    DEEP_OBJECT,
    b"{not json",
    b"\xff\xfe\x00garbage",
    json.dumps({"id": "abc", "pk": [1, 2], "page": {"x": 1}, "title": None}).encode(),
    json.dumps([1, 2, 3]).encode(),
    b'"just a string"',
    b"1e999999",
]
QUERIES = [
    "?page=abc",
    "?page=-1",
    "?page=99999999999999999999",
    "?page_size=x&ordering=;drop",
    "?id=abc&pk=%00&q=" + "%5B" * 500,
    "?limit=1e309&offset=-5",
]


def _api_params():
    return [p for p in _route_params() if p.values[0].pattern.startswith("api/<version>/")]


@pytest.mark.django_db
@pytest.mark.parametrize("route", _api_params())
def test_api_endpoint_survives_hostile_input(route, client):
    world = World()
    url, _access = _build_url(world, route)
    methods = sorted(route.allowed_methods or {"get", "post", "put", "patch", "delete"})
    failures = []
    for visitor in ("staff", "owner"):
        client.force_login(world.users[visitor])
        for query in QUERIES:
            response = client.get(url + query)
            if response.status_code >= 500:
                failures.append(f"{visitor} GET {url}{query} → {response.status_code}")
        for method in methods:
            if method in ("get", "head", "options"):
                continue
            for body in BODIES:
                response = getattr(client, method)(url, data=body, content_type="application/json")
                if response.status_code >= 500:
                    failures.append(
                        f"{visitor} {method.upper()} {url} body={body[:20]!r} → "
                        f"{response.status_code}"
                    )
    assert not failures, "\n".join(failures)


def test_the_walk_found_api_routes():
    assert len([r for r in ROUTES if r.pattern.startswith("api/<version>/")]) >= 10


@pytest.mark.django_db
def test_deep_json_is_refused_with_a_400_body(client):
    from patents.models import Organization
    from portal.models import UserProfile
    from tests.factories import OrganizationFactory, UserFactory

    user = UserFactory(roles=["enterprise"])
    UserProfile.objects.create(
        user=user, organization=OrganizationFactory(kind=Organization.Kind.ENTERPRISE)
    )
    client.force_login(user)
    response = client.post("/api/v1/needs/", data=DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
