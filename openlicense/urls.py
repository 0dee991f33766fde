"""Public and staff pages of ``openlicense``; mounted under /openlicense/ by portal.urls."""

from django.urls import path  # noqa: F401

app_name = "openlicense"
urlpatterns: list = []
