"""Registers ``matching``'s API viewsets on the one project router (portal.api)."""

from rest_framework.routers import DefaultRouter

from .views import PushViewSet, TechNeedViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to ``router``."""
    router.register("needs", TechNeedViewSet, basename="need")
    router.register("pushes", PushViewSet, basename="push")
