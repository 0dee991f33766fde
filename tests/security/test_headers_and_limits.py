import pytest
from django.test import Client
from django.urls import reverse

import portal.ratelimit

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "access",
    "name": "张三",
    "contact": "zhangsan@example.org",
    "description": "请提供我的个人信息副本。",
    "agree": "on",
}


def test_security_headers_on_public_pages(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Request-ID"]


def test_admin_gets_its_own_policy(client):
    admin_csp = client.get("/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in admin_csp
    assert "frame-ancestors 'none'" in admin_csp


def test_logged_in_pages_are_not_cached(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("u1", password="x"))
    assert "no-store" in client.get("/").headers["Cache-Control"]


def test_csrf_is_enforced_on_public_forms():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("privacy_request_create"), FORM)
    assert response.status_code == 403


def test_public_form_is_rate_limited(client):
    url = reverse("privacy_request_create")
    statuses = [client.post(url, FORM).status_code for _ in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    assert "Retry-After" in client.post(url, FORM)


def test_cache_down_makes_the_form_say_try_later(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(portal.ratelimit, "get_usage", broken)
    assert client.get(reverse("privacy_request_create")).status_code == 200
    response = client.post(reverse("privacy_request_create"), FORM)
    assert response.status_code == 503
    assert "try-later" in response.content.decode()
