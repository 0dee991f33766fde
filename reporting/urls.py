"""Public and staff pages of ``reporting``; mounted under /reporting/ by portal.urls."""

from django.urls import path  # noqa: F401

app_name = "reporting"
urlpatterns: list = []
