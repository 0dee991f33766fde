"""Data-sharing feed for partner technology markets: token-authenticated,
versioned (/api/v1/), cursor-paginated, filtered by ``since``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

from matching.selectors import needs_shared
from portal.permissions import IsFeedReader, ScopedTokenAuthentication

from ..models import Deal, Listing
from .feed import FeedDealSerializer, FeedListingSerializer, FeedNeedSerializer

SINCE = OpenApiParameter(
    "since",
    OpenApiTypes.DATETIME,
    description="Only records changed at or after this ISO 8601 timestamp.",
)


class FeedPagination(CursorPagination):
    ordering = ("updated_at", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


def since_filter(request, qs):
    raw = request.query_params.get("since")
    if not raw:
        return qs
    try:
        when = parse_datetime(raw)
        if when is not None:
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows.
            when = when.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        when = None
    if when is None:
        raise ValidationError(
            {"since": _("Give an ISO 8601 timestamp, e.g. 2026-01-01T00:00:00+08:00.")}
        )
    return qs.filter(updated_at__gte=when)


class FeedViewSet(viewsets.ReadOnlyModelViewSet):
    # Default authentication (session + scoped token); ``partner_feed`` lets API-partner
    # tokens in here and nowhere else, and only partners and staff may read the feed.
    partner_feed = True
    # Token first, so an anonymous call is answered 401 with a WWW-Authenticate header.
    authentication_classes = [ScopedTokenAuthentication, SessionAuthentication]
    permission_classes = [IsFeedReader]
    pagination_class = FeedPagination


@extend_schema_view(list=extend_schema(parameters=[SINCE]))
class ListingFeedViewSet(FeedViewSet):
    """Listings in public notice, listed, closed or withdrawn, changed since a timestamp."""

    serializer_class = FeedListingSerializer

    def get_queryset(self):
        qs = (
            Listing.objects.exclude(
                status__in=(Listing.Status.DRAFT, Listing.Status.SUBMITTED, Listing.Status.REJECTED)
            )
            .select_related("holder")
            .prefetch_related("listing_patents__patent")
        )
        return since_filter(self.request, qs)


@extend_schema_view(list=extend_schema(parameters=[SINCE]))
class DealFeedViewSet(FeedViewSet):
    """Signed, recorded or cancelled deals changed since a timestamp."""

    serializer_class = FeedDealSerializer

    def get_queryset(self):
        qs = (
            Deal.objects.exclude(status=Deal.Status.DRAFT)
            .select_related("assignor", "assignee")
            .prefetch_related("deal_patents__patent")
        )
        return since_filter(self.request, qs)


@extend_schema_view(list=extend_schema(parameters=[SINCE]))
class NeedFeedViewSet(FeedViewSet):
    """Published technology needs (and needs closed since) changed since a timestamp;
    without contact persons or mobile numbers."""

    serializer_class = FeedNeedSerializer

    def get_queryset(self):
        return since_filter(self.request, needs_shared())
