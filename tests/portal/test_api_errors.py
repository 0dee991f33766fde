"""portal.api_errors: one error body for every API answer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.test import APIClient

from portal.api_errors import api_exception_handler


def _body(exc):
    response = api_exception_handler(exc, {})
    return response.status_code, response.data


def test_a_service_refusal_becomes_a_400_with_detail():
    status, body = _body(DjangoValidationError("只有已发布的需求可以推送。"))
    assert (status, body) == (400, {"detail": "只有已发布的需求可以推送。"})


def test_a_service_field_refusal_names_the_field():
    status, body = _body(DjangoValidationError({"title": ["需求标题至少 4 个字。"]}))
    assert status == 400
    assert body == {
        "detail": "需求标题至少 4 个字。",
        "errors": {"title": ["需求标题至少 4 个字。"]},
    }


def test_serializer_errors_and_plain_api_errors_share_the_shape():
    status, body = _body(exceptions.ValidationError({"top": ["太大"], "q": ["必填"]}))
    assert status == 400 and body["errors"] == {"top": ["太大"], "q": ["必填"]}
    assert isinstance(body["detail"], str) and body["detail"]
    status, body = _body(exceptions.ValidationError(["一", "二"]))
    assert body == {"detail": "一 二"}
    status, body = _body(exceptions.PermissionDenied("不行"))
    assert (status, body) == (403, {"detail": "不行"})


@pytest.mark.django_db
def test_the_handler_is_the_projects():
    response = APIClient().get("/api/v1/needs/")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"detail"}
