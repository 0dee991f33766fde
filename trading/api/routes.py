"""Registers ``trading``'s API viewsets on the one project router (portal.api)."""

from rest_framework.routers import DefaultRouter

from .views import DealFeedViewSet, ListingFeedViewSet, NeedFeedViewSet


def register(router: DefaultRouter) -> None:
    router.register("trading/feed/listings", ListingFeedViewSet, basename="trading-feed-listing")
    router.register("trading/feed/deals", DealFeedViewSet, basename="trading-feed-deal")
    router.register("trading/feed/needs", NeedFeedViewSet, basename="trading-feed-need")
