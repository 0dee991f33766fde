"""Pages of ``alliances``, mounted under its prefix by portal.urls."""

from django.urls import path  # noqa: F401

app_name = "alliances"
urlpatterns: list = []
