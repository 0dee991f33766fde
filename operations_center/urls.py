"""Public and staff pages of ``operations_center``; mounted under /operations_center/ by portal.urls."""

from django.urls import path  # noqa: F401

app_name = "operations_center"
urlpatterns: list = []
