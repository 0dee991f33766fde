"""Public and staff pages of ``trading``; mounted under /trading/ by portal.urls."""

from django.urls import path  # noqa: F401

app_name = "trading"
urlpatterns: list = []
