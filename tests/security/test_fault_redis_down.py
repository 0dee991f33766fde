"""Redis down: public pages keep serving, forms say "try later", health says 503.

Points the cache at a port where nothing listens (what a stopped Redis looks
like to a client: connection refused) with the production cache settings.
bench/fault_redis_down.py does the same against a real Redis it stops.
"""

import pytest
from django.urls import reverse

from tests.factories import PatentFactory

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.REDIS_URL = DEAD_REDIS
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }


def test_public_pages_still_serve(client, redis_down):
    patent = PatentFactory()
    assert client.get("/").status_code == 200
    assert (
        client.get(reverse("patents:detail", args=[patent.publication_number])).status_code == 200
    )
    assert client.get(reverse("privacy_notice")).status_code == 200
    assert client.get(reverse("login")).status_code == 200


def test_rate_limited_form_says_try_later(client, redis_down):
    response = client.post(
        reverse("privacy_request_create"),
        {
            "kind": "access",
            "name": "张三",
            "contact": "z@example.org",
            "description": "x",
            "agree": "on",
        },
    )
    assert response.status_code == 503
    assert 'id="try-later"' in response.content.decode()
    assert response["Retry-After"]


def test_login_still_works(client, redis_down):
    from tests.factories import UserFactory

    UserFactory(username="sun")
    response = client.post(
        reverse("login"), {"username": "sun", "password": "correct-horse-battery-9"}
    )
    assert response.status_code == 302


def test_health_reports_redis_down(client, redis_down):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


@pytest.fixture
def captcha_test_mode(monkeypatch):
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)  # accepts "PASSED"


def test_need_form_says_try_later_and_saves_nothing(client, redis_down, captcha_test_mode):
    """The enterprise need form (matching) while Redis is down: the page still opens,
    a submission is answered 503 "try again later" and no half-saved need is left."""
    from matching.models import TechNeed
    from portal.models import UserProfile
    from portal.roles import Role
    from tests.factories import OrganizationFactory, UserFactory

    user = UserFactory(username="buyer", roles=[Role.ENTERPRISE])
    UserProfile.objects.create(
        user=user, organization=OrganizationFactory(kind="enterprise"), mobile="13800138000"
    )
    client.force_login(user)
    url = reverse("matching:need_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "寻求高压输电线路驱鸟技术",
            "description": "我司负责山区输电线路运维，鸟粪闪络导致跳闸，需要可靠的驱鸟装置。",
            "industry": "electrical",
            "cooperation_mode": "licence",
            "contact_name": "张工",
            "contact_mobile": "13800138000",
            "captcha_0": "x",
            "captcha_1": "PASSED",
        },
    )
    assert response.status_code == 503
    assert 'id="try-later"' in response.content.decode()
    assert response["Retry-After"]
    assert not TechNeed.objects.exists()


def test_enterprise_registration_says_try_later(client, redis_down, captcha_test_mode):
    from django.contrib.auth import get_user_model

    url = reverse("matching:register")
    assert client.get(url).status_code == 200
    response = client.post(url, {"username": "newco", "captcha_0": "x", "captcha_1": "PASSED"})
    assert response.status_code == 503
    assert 'id="try-later"' in response.content.decode()
    assert not get_user_model().objects.filter(username="newco").exists()
