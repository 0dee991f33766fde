"""Redis down: public pages keep serving, forms say "try later", health says 503.

Points the cache at a port where nothing listens (what a stopped Redis looks
like to a client: connection refused) with the production cache settings, then
walks every public page and every rate-limited form of the URL resolver. The
last test stops and restarts a real, private redis-server under the portal.
bench/fault_redis_down.py is the same drill as a script with timings.
"""

import shutil
import socket
import subprocess
import time

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.urls import reverse

from portal.permissions import PUBLIC_URL_NAMES, is_public_view
from tests.factories import PatentFactory
from tests.security.urlwalk import project_routes

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"
TRY_LATER_ZH = "服务暂时繁忙，请几分钟后再试。"  # the 503 page's message, as users read it


def _production_cache(location: str) -> dict:
    """portal/settings.py's cache (django-redis, IGNORE_EXCEPTIONS, 1 s socket
    timeouts) pointed at ``location``. Taken from the live settings when the suite
    runs with REDIS_URL (CI), so the test follows any change made there."""
    default = django_settings.CACHES["default"]
    if default["BACKEND"] == "django_redis.cache.RedisCache":
        return {"default": {**default, "LOCATION": location}}
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }


@pytest.fixture
def redis_down(settings):
    settings.REDIS_URL = DEAD_REDIS
    settings.CACHES = _production_cache(DEAD_REDIS)


def _assert_try_later(response) -> None:
    assert response.status_code == 503
    body = response.content.decode()
    assert 'id="try-later"' in body and TRY_LATER_ZH in body
    assert int(response["Retry-After"]) > 0


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
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
    _assert_try_later(response)


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
    _assert_try_later(response)
    assert not TechNeed.objects.exists()


def test_enterprise_registration_says_try_later(client, redis_down, captcha_test_mode):
    from django.contrib.auth import get_user_model

    url = reverse("matching:register")
    assert client.get(url).status_code == 200
    response = client.post(url, {"username": "newco", "captcha_0": "x", "captcha_1": "PASSED"})
    _assert_try_later(response)
    assert not get_user_model().objects.filter(username="newco").exists()


def _event():
    import datetime as dt

    from django.utils import timezone

    from operations_center.models import Event

    return Event.objects.create(
        kind=Event.Kind.MATCHMAKING,
        title="新能源汽车产业专利供需对接会",
        starts_at=timezone.now() + dt.timedelta(days=10),
        place="济南",
        organizer="山东省专利运营中心",
    )


def test_every_public_page_serves_without_redis(client, redis_down):
    """Every public page of the resolver (argument-free ones, plus the patent and
    event pages with a record) answers without a server error while Redis is down;
    only /health/ says 503, by design."""
    patent, event = PatentFactory(), _event()
    arguments = {
        "patents:detail": {"publication_number": patent.publication_number},
        "operations_center:event": {"event_id": event.pk},
        # The public (partner feed) API lists.
        "event-list": {"version": "v1"},
        "supply-item-list": {"version": "v1"},
    }
    requested = {}
    for route in project_routes():
        public = route.name in PUBLIC_URL_NAMES or is_public_view(route.callback)
        if not public or not route.name or route.name == "health":
            continue
        if set(route.kwarg_names) - set(arguments.get(route.name, ())):
            continue  # needs a record this test does not build (covered by the matrix)
        if route.allowed_methods is not None and "get" not in route.allowed_methods:
            continue
        url = reverse(route.name, kwargs=arguments.get(route.name))
        requested[route.name] = client.get(url).status_code
    assert {"home", "patents:detail", "operations_center:event", "privacy_notice"} <= set(requested)
    assert not {name: status for name, status in requested.items() if status >= 500}, requested
    assert requested["home"] == requested["patents:detail"] == 200
    assert requested["operations_center:event"] == 200


def test_every_rate_limited_form_says_try_later(client, redis_down, captcha_test_mode):
    """Every view behind portal.ratelimit.rate_limit, found from the URL resolver:
    a submission while Redis is down answers 503 with the Chinese "try again in a few
    minutes" and Retry-After, and writes no row anywhere. (The limiter answers
    before the view looks up its record, so any id will do in the URL.)"""
    from portal.models import UserProfile
    from portal.roles import Role
    from tests.factories import OrganizationFactory, UserFactory

    user = UserFactory(username="buyer", roles=[Role.ENTERPRISE])
    UserProfile.objects.create(
        user=user, organization=OrganizationFactory(kind="enterprise"), mobile="13800138000"
    )
    client.force_login(user)  # the need form is for logged-in enterprises
    limited = {
        route.name: route
        for route in project_routes()
        if route.name and getattr(route.callback, "portal_rate_limit", None)
    }
    assert {
        "privacy_request_create",
        "matching:register",
        "matching:need_create",
        "operations_center:event",
        "trading:objection_lodge",
        "talent:objection",
    } <= set(limited), sorted(limited)
    for name, route in limited.items():
        before = _row_counts()
        response = client.post(
            reverse(name, kwargs=dict.fromkeys(route.kwarg_names, 1)),
            # Valid-looking for any of the forms; the limiter answers before they are read.
            {"name": "张三", "mobile": "13800138000", "captcha_0": "x", "captcha_1": "PASSED"},
        )
        assert response.status_code == 503, (name, response.status_code)
        _assert_try_later(response)
        after = _row_counts()
        assert after == before, {k: (before[k], after[k]) for k in after if after[k] != before[k]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_server(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            shutil.which("redis-server"),
            *("--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("redis-server did not start")


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_real_redis_stopped_and_started_again(client, settings):
    """A private redis-server (never the shared one) is killed under the portal and
    started again on the same port: the form works, says "try later" while Redis is
    gone, and works again once it is back, without restarting anything else."""
    from portal.models import DataRightsRequest

    port = _free_port()
    location = f"redis://127.0.0.1:{port}/0"
    server = _redis_server(port)
    try:
        settings.REDIS_URL = location
        settings.CACHES = _production_cache(location)
        url = reverse("privacy_request_create")
        form = {
            "kind": "access",
            "name": "张三",
            "contact": "z@example.org",
            "description": "请告知贵中心保存了我的哪些信息。",
            "agree": "on",
        }
        assert client.post(url, form).status_code == 302
        assert DataRightsRequest.objects.count() == 1

        server.kill()
        server.wait()
        assert client.get("/").status_code == 200
        assert client.get(reverse("privacy_notice")).status_code == 200
        _assert_try_later(client.post(url, form))
        assert DataRightsRequest.objects.count() == 1
        assert client.get("/health/").json()["checks"]["redis"]["ok"] is False

        server = _redis_server(port)
        assert client.post(url, form).status_code == 302
        assert DataRightsRequest.objects.count() == 2
        assert client.get("/health/").json()["checks"]["redis"]["ok"] is True
    finally:
        server.kill()
        server.wait()
