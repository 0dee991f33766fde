"""Registers ``openlicense``'s API viewsets on the one project router (portal.api)."""

from rest_framework.routers import DefaultRouter

from .views import OpenLicenceFeedViewSet


def register(router: DefaultRouter) -> None:
    router.register("openlicense/feed/items", OpenLicenceFeedViewSet, basename="openlicense-feed")
