import pytest
from django.urls import reverse

from portal import mobile
from portal.models import AuditEvent, UserProfile
from portal.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings, monkeypatch):
    from captcha.conf import settings as captcha_settings

    # django-simple-captcha reads its settings at import: patch its copy.
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)  # accepts "PASSED"
    sent = []
    monkeypatch.setattr(
        mobile, "console_sms_backend", lambda number, text, params=None: sent.append((number, text))
    )
    return sent


def _send(client, number="13812345678"):
    return client.post(
        reverse("mobile_verify"),
        {"step": "send", "mobile": number, "captcha_0": "x", "captcha_1": "PASSED"},
    )


def _code(sms) -> str:
    return "".join(ch for ch in sms[-1][1] if ch.isdigit())[:6]


def test_captcha_then_code_verifies_the_number(client, sms):
    user = UserFactory(username="ent_m", roles=[Role.ENTERPRISE])
    client.force_login(user)
    assert _send(client).status_code == 302
    assert sms[0][0] == "13812345678"
    response = client.post(reverse("mobile_verify"), {"step": "verify", "code": _code(sms)})
    assert response.status_code == 302
    profile = UserProfile.objects.get(user=user)
    assert profile.mobile == "13812345678" and profile.mobile_verified_at
    event = AuditEvent.objects.get(action="auth.mobile_verified")
    assert "13812345678" not in str(event.details)  # masked: 138****5678


def test_wrong_captcha_sends_nothing(client, sms):
    client.force_login(UserFactory(username="ent_c"))
    response = client.post(
        reverse("mobile_verify"),
        {"step": "send", "mobile": "13812345678", "captcha_0": "x", "captcha_1": "WRONG"},
    )
    assert response.status_code == 200 and not sms


def test_cooldown_and_daily_cap(client, sms):
    client.force_login(UserFactory(username="ent_d"))
    assert _send(client).status_code == 302
    again = _send(client)
    assert again.status_code == 200 and again.context["send_form"].non_field_errors()
    assert len(sms) == 1
    from django.core.cache import cache

    for _ in range(mobile.DAILY_PER_NUMBER - 1):
        cache.delete("mobile:cooldown:13812345678")
        _send(client)
    cache.delete("mobile:cooldown:13812345678")
    capped = _send(client)
    assert capped.status_code == 200
    assert len(sms) == mobile.DAILY_PER_NUMBER


def test_wrong_codes_are_limited(client, sms):
    user = UserFactory(username="ent_w")
    client.force_login(user)
    _send(client)
    right = _code(sms)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(mobile.MAX_ATTEMPTS):
        client.post(reverse("mobile_verify"), {"step": "verify", "code": wrong})
    client.post(reverse("mobile_verify"), {"step": "verify", "code": right})
    assert not UserProfile.objects.filter(user=user, mobile_verified_at__isnull=False).exists()


def test_bad_number_says_what_to_fix(client, sms):
    client.force_login(UserFactory(username="ent_b"))
    response = _send(client, "12345")
    assert response.status_code == 200 and not sms


def test_cache_down_says_try_later(client, sms, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
    client.force_login(UserFactory(username="ent_r"))
    response = _send(client)
    assert response.status_code == 200 and not sms
    assert response.context["send_form"].non_field_errors()
