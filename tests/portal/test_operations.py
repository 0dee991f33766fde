import json
import os
import secrets
import sqlite3
import subprocess
import sys
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from portal import health
from tests.conftest import REPO_DIR
from tests.factories import PatentFactory

MANAGE = [sys.executable, str(REPO_DIR / "manage.py")]


def _production_env(tmp_path) -> dict:
    # A clean production environment: none of the test run's variables (the browser
    # fixtures set DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses).
    dropped = ("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="portal.example.org",
        SECURE_COOKIES="true",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_PRELOAD="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        **PROVIDERS,
    )
    return env


# Counted push channels and verification codes need real providers (docs/operations.md).
PROVIDERS = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.cn",
    "EMAIL_HOST_USER": "portal@example.cn",
    "EMAIL_HOST_PASSWORD": "x",
    "MATCHING_SMS_PROVIDER": "tencent",
    "SMS_BACKEND": "matching.delivery.sms.sms_verification_send",
    "TENCENT_SMS_SECRET_ID": "AKIDx",
    "TENCENT_SMS_SECRET_KEY": "x",
    "TENCENT_SMS_SDK_APP_ID": "1400000001",
    "TENCENT_SMS_SIGN_NAME": "山东专利运营",
    "TENCENT_SMS_PUSH_TEMPLATE": "1900001",
    "TENCENT_SMS_VERIFICATION_TEMPLATE": "1900002",
    "WECHAT_APP_ID": "wx0123456789abcdef",
    "WECHAT_APP_SECRET": "x",
    "WECHAT_TOKEN": "x",
    "WECHAT_PUSH_TEMPLATE_ID": "tmpl",
}


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = subprocess.run(
        [*MANAGE, "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_the_console_mail_backend(tmp_path):
    env = _production_env(tmp_path) | {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }
    result = subprocess.run(
        [*MANAGE, "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "matching.E001" in result.stderr and "delivers nothing" in result.stderr


def test_logs_are_json_lines_with_request_context(tmp_path):
    env = _production_env(tmp_path) | {"LOG_FORMAT": "json"}
    code = "import logging; logging.getLogger('portal.test').warning('disk %s', 'full')"
    result = subprocess.run(
        [*MANAGE, "shell", "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    record = next(line for line in lines if line.get("logger") == "portal.test")
    assert record["message"] == "disk full" and record["level"] == "WARNING"
    assert "request_id" in record and "time" in record


@pytest.mark.django_db
def test_health_reports_each_dependency(client):
    response = client.get("/health/")
    body = response.json()
    assert set(body["checks"]) == {"database", "redis", "celery", "search"}
    assert body["checks"]["database"]["ok"] is True
    assert response.status_code == (200 if body["status"] == "ok" else 503)


@pytest.mark.django_db
def test_health_says_unavailable_without_leaking_details(client, monkeypatch):
    def down():
        raise ConnectionError("redis://:secret@10.0.0.5:6379 refused")

    monkeypatch.setitem(health.CHECKS, "redis", down)
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"] == {
        "ok": False,
        "detail": "ConnectionError",
        "ms": body["checks"]["redis"]["ms"],
    }
    assert "secret" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path):
    PatentFactory.create_batch(3)
    backup = tmp_path / "portal.dump"
    call_command("db_backup", "--output", str(backup))
    assert backup.stat().st_size > 0
    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        call_command("db_restore", "--input", str(backup), "--target-url", f"sqlite:///{target}")
        with sqlite3.connect(target) as restored:
            count = restored.execute("SELECT count(*) FROM patents_patent").fetchone()[0]
            numbers = {
                r[0] for r in restored.execute("SELECT publication_number FROM patents_patent")
            }
        restored.close()
    else:
        import psycopg2

        db = connection.settings_dict
        name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:6]}"
        params = {
            "host": db["HOST"],
            "port": db["PORT"] or 5432,
            "user": db["USER"],
            "password": db["PASSWORD"],
        }
        admin = psycopg2.connect(dbname="postgres", **params)
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        try:
            url = f"postgres://{db['USER']}@{db['HOST']}:{params['port']}/{name}"
            call_command("db_restore", "--input", str(backup), "--target-url", url)
            with psycopg2.connect(dbname=name, **params) as restored, restored.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM patents_patent")
                count = cursor.fetchone()[0]
                cursor.execute("SELECT publication_number FROM patents_patent")
                numbers = {r[0] for r in cursor.fetchall()}
            restored.close()
        finally:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    from patents.models import Patent

    assert count == 3
    assert numbers == set(Patent.objects.values_list("publication_number", flat=True))


@pytest.mark.django_db
def test_restore_over_the_live_database_needs_yes(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--yes"):
        call_command("db_restore", "--input", str(tmp_path / "x.dump"))


def test_a_database_outage_answers_503_try_later():
    """A view that hits a restarting database: 503 "try again" with Retry-After, not a
    500 (bench/fault_postgres_restart.py drills it against a real restart)."""
    from django.db import InterfaceError, OperationalError
    from django.test import RequestFactory

    from portal.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/")
    for error in (OperationalError("server closed the connection"), InterfaceError("closed")):
        response = middleware.process_exception(request, error)
        assert response.status_code == 503
        assert response["Retry-After"]
        assert 'id="try-later"' in response.content.decode()
    assert middleware.process_exception(request, ValueError("not a database error")) is None
