"""The API docs work in the closed network and under our CSP: Swagger UI comes
from our own static files (drf-spectacular-sidecar), not a CDN."""

import pytest

pytestmark = pytest.mark.django_db


def test_swagger_ui_is_self_hosted(client):
    response = client.get("/api/docs/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "cdn.jsdelivr" not in body
    assert "/static/drf_spectacular_sidecar/" in body
    assert "script-src 'self'" in response["Content-Security-Policy"]
