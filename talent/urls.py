"""Public and staff pages of ``talent``; mounted under /talent/ by portal.urls."""

from django.urls import path  # noqa: F401

app_name = "talent"
urlpatterns: list = []
