"""Staff pages belong to programme lines: a line's own pages refuse another
line's staff, shared pages let every line's staff in.

The owning line is read from the view (``portal.permissions.staff_required``
stamps it on the view as ``portal_staff_line``), so a page added with
``@staff_required(line=...)`` is walked without editing this file. Which app
owns which line: docs/architecture.md "Programme lines and staff pages".
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from portal.models import UserProfile
from portal.permissions import is_line_staff, staff_lines, staff_required
from portal.programme import ProgrammeLine
from portal.roles import STAFF_LINE_ROLES, Role
from tests.factories import UserFactory

from .matrix_world import World
from .test_permission_matrix import ROUTES, _build_url, _first_method, _request, _route_params

LINE_ROLE = {line.value: role for role, line in STAFF_LINE_ROLES.items()}

# Shared pages whose record names a line: only that line's staff may change it.
RECORD_LINE = {"matching:weights_edit": ProgrammeLine.INDUSTRY_OPERATIONS.value}


def _staff_line(route) -> str | None:
    return getattr(route.callback, "portal_staff_line", None)


def _line_params():
    params = [p for p in _route_params() if _staff_line(p.values[0])]
    return [pytest.param(p.values[0], id=p.id, marks=p.marks) for p in params]


def test_every_line_owns_staff_pages():
    owners = {_staff_line(route) for route in ROUTES} - {None}
    assert owners == {"shared", *ProgrammeLine.values}, owners


def _refused(response) -> bool:
    login = reverse("login")
    return response.status_code in (401, 403, 404) or (
        response.status_code == 302 and response["Location"].startswith(login)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("route", _line_params())
def test_line_staff_reach_their_pages_only(route, client):
    world = World()
    url, _ = _build_url(world, route)
    method = _first_method(route)
    owner = RECORD_LINE.get(route.name or "", _staff_line(route))
    answers = {}
    for line in ProgrammeLine.values:
        user = UserFactory(username=f"staff_{line}", roles=[LINE_ROLE[line]])
        client.force_login(user)
        response = _request(client, method, url)
        assert response.status_code < 500, f"{line} {method.upper()} {url}"
        answers[line] = response.status_code
        if owner in ("shared", line):
            assert not _refused(response), f"{line} staff refused {url}: {answers}"
        else:
            assert _refused(response), f"{line} staff got into {owner}'s {url}: {answers}"


def _request_as(user):
    request = RequestFactory().get("/staff/")
    request.user = user
    return request


@pytest.mark.django_db
def test_staff_required_by_role():
    @staff_required(line=ProgrammeLine.TRADING_HUB)
    def trading_page(request):
        return "in"

    @staff_required
    def shared_page(request):
        return "in"

    trading = UserFactory(username="trading", roles=[Role.STAFF_TRADING_HUB])
    talent = UserFactory(username="talent", roles=[Role.STAFF_TALENT])
    centre = UserFactory(username="centre", roles=[Role.STAFF])
    admin = UserFactory(username="root", is_superuser=True)
    reviewer = UserFactory(username="reviewer", roles=[Role.REVIEWER])
    enterprise = UserFactory(username="ent", roles=[Role.ENTERPRISE])

    for user in (trading, centre, admin):
        assert trading_page(_request_as(user)) == "in"
    for user in (trading, talent, centre, admin):
        assert shared_page(_request_as(user)) == "in"
    for user in (talent, reviewer, enterprise):
        with pytest.raises(PermissionDenied):
            trading_page(_request_as(user))
    for user in (reviewer, enterprise):
        with pytest.raises(PermissionDenied):
            shared_page(_request_as(user))
    assert trading_page(_request_as(AnonymousUser())).status_code == 302


@pytest.mark.django_db
def test_profile_lines_extend_a_line_staff_member():
    # A line role plus lines granted on the profile (UserProfile.programme_lines).
    user = UserFactory(username="two_lines", roles=[Role.STAFF_TALENT])
    UserProfile.objects.create(user=user, programme_lines=[ProgrammeLine.TRADING_HUB.value])
    assert staff_lines(user) == {"talent", "trading_hub"}
    assert is_line_staff(user, ProgrammeLine.TRADING_HUB)
    assert not is_line_staff(user, ProgrammeLine.INDUSTRY_OPERATIONS)
    # Profile lines alone do not make a staff member.
    ent = UserFactory(username="ent_lines", roles=[Role.ENTERPRISE])
    UserProfile.objects.create(user=ent, programme_lines=[ProgrammeLine.TALENT.value])
    assert staff_lines(ent) == frozenset()
    assert staff_lines(UserFactory(username="boss", roles=[Role.STAFF])) is None
