import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditEvent
from portal.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_lockout_after_five_failures_even_with_the_right_password(client):
    UserFactory(username="zhang")
    for _ in range(5):
        response = _login(client, "zhang", "wrong-password-1")
    assert response.status_code in (200, 429)
    response = _login(client, "zhang", PASSWORD)
    assert response.status_code == 429
    assert "locked-out" in response.content.decode()
    assert "_auth_user_id" not in client.session
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"auth.login_failed", "auth.locked_out"} <= actions


def test_successful_login_is_audited_and_resets_failures(client):
    UserFactory(username="li")
    _login(client, "li", "wrong-password-1")
    response = _login(client, "li", PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="auth.login").get()
    assert event.actor_label == "li" and event.ip_address == "127.0.0.1"


def test_password_policy():
    with pytest.raises(ValidationError):
        validate_password("alllowercaseletters")
    with pytest.raises(ValidationError):
        validate_password("Short1!")
    validate_password("Patent-Portal-2026")


def test_idle_session_is_logged_out(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    user = UserFactory(username="wang")
    client.force_login(user)
    client.get("/")  # starts the clocks
    session = client.session
    session["_portal_last_seen"] = int(time.time()) - 120
    session.save()
    response = client.get(reverse("privacy_requests_mine"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_absolute_session_limit(client, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 3600
    client.force_login(UserFactory(username="zhao"))
    client.get("/")
    session = client.session
    session["_portal_session_started"] = int(time.time()) - 7200
    session["_portal_last_seen"] = int(time.time())
    session.save()
    client.get("/")
    assert "_auth_user_id" not in client.session


def test_admin_requires_verified_totp_for_staff(client, settings):
    settings.ADMIN_REQUIRE_OTP = True
    staff = UserFactory(username="staff1", is_staff=True, is_superuser=True, roles=[Role.STAFF])
    assert _login(client, "staff1", PASSWORD).status_code == 302
    # The staff second-factor middleware sends every staff page to the 2FA step
    # (no device yet: on to enrolment).
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("otp_setup"))
    response = client.get(response["Location"])
    assert response.status_code == 200 and "<svg" in response.content.decode()

    device = TOTPDevice.objects.get(user=staff)
    wrong = client.post(
        reverse("otp_setup"), {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    # django-otp throttles after a failure (1 s, doubling); skip the wait.
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("otp_setup"), {"token": _code(device), "next": "/admin/"})
    assert response.status_code == 200 and 'id="recovery-codes"' in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrolled").exists()


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_deploy_check_refuses_demo_accounts(settings):
    settings.DEMO_MODE = False
    UserFactory(username="demo")
    with pytest.raises(SystemCheckError, match=r"portal\.E001"):
        call_command("check", "--deploy", "--tag", "security")


def test_deploy_check_refuses_default_admin_password(settings):
    settings.DEMO_MODE = False
    UserFactory(username="root", is_superuser=True, is_staff=True, password="admin")
    with pytest.raises(SystemCheckError, match=r"portal\.E002"):
        call_command("check", "--deploy", "--tag", "security")
