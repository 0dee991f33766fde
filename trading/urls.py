"""Pages of ``trading``, mounted under its prefix by portal.urls."""

from django.urls import path  # noqa: F401

app_name = "trading"
urlpatterns: list = []
