"""Production refuses to start insecurely (issue 24, medium findings on .env.example).

On the old main these were at most deploy warnings: the server started with
non-secure cookies, no HSTS, no SSL redirect, two-factor off, the demo mode on,
and trusted X-Forwarded-Proto from any client.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.http import HttpResponse
from django.test import RequestFactory

from portal.middleware import TrustedProxyMiddleware

REPO = Path(__file__).resolve().parents[2]
from tests.portal.test_operations import PROVIDERS  # noqa: E402

SAFE = {
    # Delivery providers configured (matching's deploy checks, issue 16).
    **PROVIDERS,
    "PORTAL_ENVIRONMENT": "production",
    "SECRET_KEY": "x" * 60,
    "SECURE_COOKIES": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_SSL_REDIRECT": "true",
    "TRUSTED_PROXIES": "127.0.0.1",
    "ALLOWED_HOSTS": "portal.example.cn",
    "DEBUG": "false",
}


@pytest.fixture
def production(settings):
    settings.PORTAL_ENVIRONMENT = "production"
    settings.DEBUG = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = True
    settings.ADMIN_REQUIRE_OTP = True
    settings.DEMO_MODE = False
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    settings.SECRET_KEY = "k" * 60
    return settings


@pytest.mark.django_db
def test_a_safe_production_configuration_passes(production):
    call_command("check", "--tag", "security", "--fail-level", "ERROR")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"DEBUG": True}, "E010"),
        ({"SESSION_COOKIE_SECURE": False}, "E011"),
        ({"SECURE_HSTS_SECONDS": 0}, "E012"),
        ({"SECURE_SSL_REDIRECT": False}, "E013"),
        ({"ADMIN_REQUIRE_OTP": False}, "E014"),
        ({"DEMO_MODE": True}, "E015"),
        ({"TRUSTED_PROXIES": []}, "E016"),
        (
            {
                "WEB_WORKERS": 2,
                "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            },
            "E017",
        ),  # a cache local to each worker (CI's own cache is Redis)
        ({"SECRET_KEY": "change-me-to-a-long-random-string"}, "E018"),
    ],
)
def test_each_unsafe_setting_is_an_error_not_a_warning(production, change, code):
    for name, value in change.items():
        setattr(production, name, value)
    if "TRUSTED_PROXIES" in change:
        production.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    with pytest.raises(SystemCheckError, match=rf"portal\.{code}"):
        call_command("check", "--tag", "security")


def _start_wsgi(env: dict) -> subprocess.CompletedProcess:
    # What gunicorn does first: import the WSGI application.
    environment = {**os.environ, **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    # Set by the browser tests' Playwright fixture in this process, never in production.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-c", "import portal.wsgi"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_wsgi_server_refuses_to_start_with_the_example_settings():
    result = _start_wsgi({**SAFE, "SECURE_COOKIES": "false", "ADMIN_REQUIRE_OTP": "false"})
    assert result.returncode != 0
    assert "portal.E011" in result.stderr and "portal.E014" in result.stderr


def test_the_wsgi_server_starts_when_safe(tmp_path):
    result = _start_wsgi({**SAFE, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert result.returncode == 0, result.stderr[-2000:]


def test_forwarding_headers_count_only_from_the_configured_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen = {}

    def view(request):
        seen["secure"] = request.is_secure()
        seen["xff"] = request.META.get("HTTP_X_FORWARDED_FOR")
        return HttpResponse()

    middleware = TrustedProxyMiddleware(view)
    headers = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}
    middleware(RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", **headers))
    assert seen == {"secure": False, "xff": None}
    middleware(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers))
    assert seen == {"secure": True, "xff": "1.2.3.4"}


def test_the_example_environment_is_safe_for_production():
    example = (REPO / ".env.example").read_text()
    values = dict(
        line.split("=", 1)
        for line in example.splitlines()
        if line and not line.startswith("#") and "=" in line
    )
    assert values["SECURE_COOKIES"] == "true"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31_536_000
    assert values["SECURE_SSL_REDIRECT"] == "true"
    assert values["PORTAL_ENVIRONMENT"] == "production"
    assert values.get("ADMIN_REQUIRE_OTP", "true") == "true"
    assert values.get("DEMO_MODE", "false") == "false"


def test_compose_puts_nginx_with_limits_in_front_of_gunicorn():
    import yaml

    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert "ports" not in services["web"]  # clients reach gunicorn only through the proxy
    assert services["proxy"]["image"].startswith("nginx")
    assert services["web"]["environment"]["PORTAL_ENVIRONMENT"] == "production"
    conf = (REPO / "deploy" / "nginx.conf").read_text()
    for directive in (
        "client_max_body_size 20m",
        "client_body_timeout",
        "client_header_timeout",
        "proxy_request_buffering on",
        "proxy_read_timeout",
        "limit_req_zone",
        "proxy_set_header X-Forwarded-For $remote_addr",
    ):
        assert directive in conf
