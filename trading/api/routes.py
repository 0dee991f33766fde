"""Registers ``trading``'s API viewsets on the one project router (portal.api)."""

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to ``router``."""
