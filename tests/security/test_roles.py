import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.test import RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from portal.models import UserProfile
from portal.permissions import (
    get_scoped_object_or_404,
    role_permission,
    role_required,
    scope_to_organization,
    scope_to_programme_lines,
)
from portal.programme import ProgrammeLine
from portal.roles import ALL_ROLE_NAMES, Role, user_programme_lines, user_roles
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _member(username, org, *roles):
    user = UserFactory(username=username, roles=list(roles))
    UserProfile.objects.create(user=user, organization=org)
    return user


def test_every_role_has_a_group_from_the_migrations():
    assert set(ALL_ROLE_NAMES) <= set(Group.objects.values_list("name", flat=True))


def test_organization_scope_hides_other_organizations_records():
    org_a, org_b = OrganizationFactory(), OrganizationFactory()
    alice = _member("alice", org_a, Role.ENTERPRISE)
    bob = _member("bob", org_b, Role.ENTERPRISE)
    profiles = UserProfile.objects.all()

    assert list(scope_to_organization(profiles, alice)) == [alice.profile]
    with pytest.raises(Http404):
        get_scoped_object_or_404(profiles, alice, pk=bob.profile.pk)
    assert get_scoped_object_or_404(profiles, bob, pk=bob.profile.pk) == bob.profile
    assert not scope_to_organization(profiles, AnonymousUser()).exists()


def test_user_without_organization_sees_nothing_and_staff_see_all():
    org = OrganizationFactory()
    _member("member", org, Role.ENTERPRISE)
    loner = UserFactory(username="loner", roles=[Role.ENTERPRISE])
    staff = UserFactory(username="staffer", roles=[Role.STAFF])
    assert not scope_to_organization(UserProfile.objects.all(), loner).exists()
    assert scope_to_organization(UserProfile.objects.all(), staff).count() == 1


def test_either_party_field_scope():
    org_a, org_b = OrganizationFactory(), OrganizationFactory()
    alice = _member("alice", org_a, Role.ENTERPRISE)
    _member("bob", org_b, Role.ENTERPRISE)
    # Several fields are OR-ed (e.g. a deal's assignor or assignee).
    scoped = scope_to_organization(
        UserProfile.objects.all(), alice, ("organization", "organization")
    )
    assert list(scoped) == [alice.profile]


def test_line_staff_see_only_their_lines():
    line_staff = UserFactory(username="talent_staff", roles=[Role.STAFF_TALENT])
    assert user_programme_lines(line_staff) == {ProgrammeLine.TALENT.value}
    everything = UserFactory(username="boss", roles=[Role.STAFF])
    assert user_programme_lines(everything) is None

    # Any model with a programme_line field works; use the query it builds.
    qs = scope_to_programme_lines(UserProfile.objects.all(), line_staff, field="user__username")
    assert "talent" in str(qs.query)


def test_role_required_redirects_anonymous_and_refuses_wrong_role():
    @role_required(Role.FUNDER)
    def report(request):
        return "ok"

    factory = RequestFactory()
    request = factory.get("/reporting/")
    request.user = AnonymousUser()
    assert report(request).status_code == 302

    request.user = UserFactory(username="ent", roles=[Role.ENTERPRISE])
    with pytest.raises(PermissionDenied):
        report(request)
    request.user = UserFactory(username="funder", roles=[Role.FUNDER])
    assert report(request) == "ok"


class _Feed(APIView):
    partner_feed = True
    versioning_class = None

    def get(self, request, version=None):
        return Response({"ok": True})

    def post(self, request, version=None):
        return Response({"ok": True})


class _Private(APIView):
    versioning_class = None

    def get(self, request, version=None):
        return Response({"ok": True})


class _FundersOnly(APIView):
    versioning_class = None
    permission_classes = [role_permission(Role.FUNDER)]

    def get(self, request, version=None):
        return Response({"ok": True})


def _token_get(view, user, method="get"):
    token = Token.objects.create(user=user)
    request = getattr(APIRequestFactory(), method)(
        "/api/v1/x/", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    return view.as_view()(request)


def test_api_partner_token_reaches_only_the_shared_feed_read_only():
    partner = UserFactory(username="partner", roles=[Role.API_PARTNER])
    assert _token_get(_Feed, partner).status_code == 200
    partner.auth_token.delete()
    assert _token_get(_Private, partner).status_code == 403
    partner.auth_token.delete()
    assert _token_get(_Feed, partner, "post").status_code == 403


def test_role_permission_class():
    funder = UserFactory(username="funder", roles=[Role.FUNDER])
    enterprise = UserFactory(username="ent", roles=[Role.ENTERPRISE])
    assert _token_get(_FundersOnly, funder).status_code == 200
    assert _token_get(_FundersOnly, enterprise).status_code == 403


def test_three_administrators_are_separate_people():
    user = UserFactory(username="sysadmin", roles=[Role.SYSTEM_ADMIN])
    with pytest.raises(ValidationError), transaction.atomic():
        user.groups.add(Group.objects.get(name=Role.AUDIT_ADMIN.value))
    with pytest.raises(ValidationError), transaction.atomic():
        Group.objects.get(name=Role.SECURITY_ADMIN.value).user_set.add(user)
    user.groups.add(Group.objects.get(name=Role.BROKER.value))  # a non-admin role is fine
    user.refresh_from_db()
    assert Role.SYSTEM_ADMIN in user_roles(user)


def test_admin_role_permissions_are_separated():
    auditor = UserFactory(username="auditor", roles=[Role.AUDIT_ADMIN])
    sysadmin = UserFactory(username="sysadmin2", roles=[Role.SYSTEM_ADMIN])
    assert auditor.has_perm("portal.view_auditevent")
    assert not auditor.has_perm("auth.change_user")
    assert sysadmin.has_perm("auth.change_user")
    assert not sysadmin.has_perm("portal.view_auditevent")
    assert not sysadmin.has_perm("auth.change_group")
