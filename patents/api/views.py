from django.db.models import Prefetch
from rest_framework import viewsets

from ..models import Patent, PatentApplicant
from .serializers import PatentSerializer


class PatentViewSet(viewsets.ReadOnlyModelViewSet):
    """Patents by publication number. Full-text search arrives with the search service."""

    serializer_class = PatentSerializer
    lookup_field = "publication_number"
    lookup_value_regex = "[A-Za-z0-9]+"

    def get_queryset(self):
        return Patent.objects.order_by("id").prefetch_related(
            Prefetch(
                "applicant_links",
                queryset=PatentApplicant.objects.select_related("organization"),
            ),
            "inventor_mentions",
        )
