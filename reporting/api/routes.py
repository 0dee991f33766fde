"""Registers ``reporting``'s API viewsets on the one project router (portal.api)."""

from rest_framework.routers import DefaultRouter

from .views import ProjectKpiViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to ``router``."""
    router.register("reporting/projects", ProjectKpiViewSet, basename="reporting-project")
