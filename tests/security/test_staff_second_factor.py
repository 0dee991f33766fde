"""Two factors for every staff session, not only /admin/ (issue 24, high finding)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from portal.models import AuditEvent
from portal.roles import Role
from portal.second_factor import second_factor_reset
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"
# Staff pages and staff API calls outside /admin/ the probe read with a password only.
STAFF_PAGES = ["/matching/staff/", "/audit/export.csv", "/accounts/membership-requests/"]
STAFF_API = ["/api/v1/needs/"]


@pytest.fixture(autouse=True)
def _otp_on(settings):
    settings.ADMIN_REQUIRE_OTP = True


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _staff():
    return UserFactory(username="staff1", roles=[Role.STAFF])


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_need_a_second_factor(client, path):
    client.force_login(_staff())
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))


@pytest.mark.parametrize("path", STAFF_API)
def test_staff_api_calls_need_a_second_factor(client, path):
    client.force_login(_staff())
    response = client.get(path)
    assert response.status_code == 403
    assert "second factor" in response.json()["detail"] or "双" in response.json()["detail"]


def test_line_staff_and_administrators_need_it_too(client):
    for roles in ([Role.STAFF_TALENT], [Role.SECURITY_ADMIN], [Role.REVIEWER]):
        client.force_login(UserFactory(roles=roles))
        assert client.get("/").status_code == 302


def test_enterprise_users_are_not_asked(client):
    client.force_login(UserFactory(roles=[Role.ENTERPRISE]))
    assert client.get("/").status_code == 200


def test_enrolment_issues_recovery_codes_that_work_once(client):
    staff = _staff()
    client.force_login(staff)
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(reverse("otp_setup"), {"token": _code(device), "next": "/"})
    body = response.content.decode()
    assert 'id="recovery-codes"' in body
    codes = [t.token for t in StaticDevice.objects.get(user=staff).token_set.all()]
    assert len(codes) == 10 and codes[0] in body
    assert client.get(STAFF_PAGES[0]).status_code == 200  # verified session

    client.logout()
    client.post(reverse("login"), {"username": "staff1", "password": PASSWORD})
    assert client.get(STAFF_PAGES[0]).status_code == 302
    response = client.post(reverse("otp_verify"), {"token": codes[0], "next": "/"})
    assert response.status_code == 302
    assert client.get(STAFF_PAGES[0]).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_recovery_code_used").exists()
    client.logout()
    client.post(reverse("login"), {"username": "staff1", "password": PASSWORD})
    response = client.post(reverse("otp_verify"), {"token": codes[0], "next": "/"})
    assert response.status_code == 200  # used up


def test_reset_is_for_the_security_administrator_and_audited():
    staff = _staff()
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    other = UserFactory(username="other", roles=[Role.STAFF])
    with pytest.raises(Exception, match="security administrator"):
        second_factor_reset(user=staff, reset_by=other)
    security = UserFactory(username="sec", roles=[Role.SECURITY_ADMIN])
    assert second_factor_reset(user=staff, reset_by=security) == 1
    assert not TOTPDevice.objects.filter(user=staff).exists()
    event = AuditEvent.objects.get(action="auth.otp_reset")
    assert event.actor_label == "sec" and event.target_id == str(staff.pk)


def test_partner_accounts_are_token_only(client):
    partner = UserFactory(username="partner", roles=[Role.API_PARTNER])
    client.force_login(partner)
    assert client.get("/").status_code == 403
    assert "_auth_user_id" not in client.session


def test_staff_tokens_cannot_skip_the_second_factor(client):
    token = Token.objects.create(user=_staff())
    response = client.get(STAFF_API[0], HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code in (401, 403)


def test_partner_tokens_expire_and_rotate(client, settings):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    partner = UserFactory(username="partner", roles=[Role.API_PARTNER])
    token = Token.objects.create(user=partner)
    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - dt.timedelta(days=settings.API_TOKEN_TTL_DAYS + 1)
    )
    feed = reverse("trading-feed-deal-list", kwargs={"version": "v1"})
    response = client.get(feed, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401 and "expired" in response.content.decode()
    call_command("api_token_rotate", "partner")
    fresh = Token.objects.get(user=partner)
    assert fresh.key != token.key
    assert client.get(feed, HTTP_AUTHORIZATION=f"Token {fresh.key}").status_code == 200
