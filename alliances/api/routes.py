"""Registers ``alliances``'s API viewsets on the one project router (portal.api)."""

from rest_framework.routers import DefaultRouter

from .views import AllianceViewSet, LicenceViewSet, PoolViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to ``router``."""
    router.register("alliances", AllianceViewSet, basename="alliance")
    router.register("patent-pools", PoolViewSet, basename="patent-pool")
    router.register("pool-licences", LicenceViewSet, basename="pool-licence")
