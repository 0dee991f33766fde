"""Pages of ``operations_center``, mounted under its prefix by portal.urls."""

from django.urls import path  # noqa: F401

app_name = "operations_center"
urlpatterns: list = []
