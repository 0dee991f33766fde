"""Public and staff pages of ``alliances``; mounted under /alliances/ by portal.urls."""

from django.urls import path  # noqa: F401

app_name = "alliances"
urlpatterns: list = []
