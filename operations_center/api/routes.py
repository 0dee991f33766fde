"""Registers ``operations_center``'s API viewsets on the one project router (portal.api)."""

from rest_framework.routers import DefaultRouter

from .views import EventViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to ``router``."""
    router.register("events", EventViewSet, basename="event")
