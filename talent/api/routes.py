"""Registers ``talent``'s API viewsets on the one project router (portal.api)."""

from rest_framework.routers import DefaultRouter

from .views import SupplyItemViewSet, TalentViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to ``router``."""
    router.register("talents", TalentViewSet, basename="talent")
    router.register("supply-items", SupplyItemViewSet, basename="supply-item")
