"""The single API router: every app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from patents.api.views import PatentViewSet

router = DefaultRouter()
router.register("patents", PatentViewSet, basename="patent")
