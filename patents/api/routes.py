"""Registers ``patents``' API viewsets on the one project router (portal.api)."""

from rest_framework.routers import DefaultRouter

from .views import PatentViewSet


def register(router: DefaultRouter) -> None:
    router.register("patents", PatentViewSet, basename="patent")
