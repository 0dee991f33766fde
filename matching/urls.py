"""Public and staff pages of ``matching``; mounted under /matching/ by portal.urls."""

from django.urls import path  # noqa: F401

app_name = "matching"
urlpatterns: list = []
