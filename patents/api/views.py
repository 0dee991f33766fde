"""Patent API: full-text search with filters and facets, and one patent by number."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.api_errors import ERROR_SCHEMA

from ..models import Patent, PatentApplicant
from ..search import SearchQueryError, patent_search
from ..search.documents import number_key
from .serializers import (
    PatentSearchParamsSerializer,
    PatentSearchResponseSerializer,
    PatentSerializer,
)


def _prefetched(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "applicant_links", queryset=PatentApplicant.objects.select_related("organization")
        ),
        "inventor_mentions",
    )


class PatentViewSet(viewsets.ReadOnlyModelViewSet):
    """Patents: search (``?q=``) or browse, and one patent by publication number."""

    serializer_class = PatentSerializer
    lookup_field = "publication_number"
    lookup_value_regex = "[A-Za-z0-9 ._-]+"

    def get_queryset(self):
        return _prefetched(Patent.objects.order_by("id"))

    def get_object(self):
        number = number_key(self.kwargs[self.lookup_field]).upper()
        patent = self.get_queryset().filter(publication_number=number).first()
        if patent is None:
            raise Http404
        return patent

    @extend_schema(
        parameters=[PatentSearchParamsSerializer],
        responses={200: PatentSearchResponseSerializer, 400: ERROR_SCHEMA},
        description=(
            'With `q`: full-text search (Chinese and English; "exact phrase", field:word '
            "for title/abstract/applicant/inventor/number, -word to exclude), with filters "
            "and facet counts. Without `q`: all patents, oldest first, paginated."
        ),
    )
    def list(self, request, *args, **kwargs):
        if "q" not in request.query_params:
            return super().list(request, *args, **kwargs)
        params = PatentSearchParamsSerializer(data=request.query_params)
        if not params.is_valid():
            raise ValidationError(
                {"detail": _("The search parameters are invalid."), "errors": params.errors}
            )
        try:
            results = patent_search(**params.search_arguments())
        except SearchQueryError as error:
            raise ValidationError({"detail": str(error)}) from error
        patents = {
            p.pk: p
            for p in _prefetched(Patent.objects.filter(pk__in=[h.patent_id for h in results.hits]))
        }
        items = [
            {"score": h.score, "highlights": h.highlights, "patent": patents[h.patent_id]}
            for h in results.hits
            if h.patent_id in patents
        ]
        body = PatentSearchResponseSerializer(
            {
                "count": results.total,
                "count_is_capped": results.total_is_capped,
                "results": items,
                "facets": {
                    key: [{"value": v, "count": n} for v, n in buckets]
                    for key, buckets in results.facets.items()
                },
            }
        ).data
        return Response(body)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "publication_number",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Publication number in any common form: CN114081026A, cn114081026a.",
            )
        ]
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
