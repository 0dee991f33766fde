"""The one error body of the API, for every app (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``).

Every 4xx answer is ``{"detail": "<what went wrong, in the user's language>"}``
plus, when particular fields are at fault, ``"errors": {"<field>": ["…"]}``.
A service's ``django.core.exceptions.ValidationError`` becomes a 400 with that
body, so API views call the service and let its refusal through untranslated.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

ERROR_SCHEMA = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(), required=False),
    },
)


def _flatten(value) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _flatten(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _flatten(v)]
    return [str(value)]


def error_body(detail) -> dict:
    """``{"detail": …, "errors": …}`` from a DRF ``exc.detail`` (str, list or dict)."""
    if isinstance(detail, dict):
        if set(detail) <= {"detail", "non_field_errors"}:
            return {"detail": " ".join(_flatten(detail))}
        if set(detail) == {"detail", "errors"}:  # already in this shape
            return {"detail": " ".join(_flatten(detail["detail"])), "errors": detail["errors"]}
        errors = {key: _flatten(value) for key, value in detail.items()}
        return {"detail": _("Check the fields listed in errors."), "errors": errors}
    return {"detail": " ".join(_flatten(detail))}


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        body = {"detail": " ".join(exc.messages)}
        if hasattr(exc, "error_dict"):
            body["errors"] = exc.message_dict
        exc = exceptions.ValidationError(body)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = error_body(response.data)
    return response
