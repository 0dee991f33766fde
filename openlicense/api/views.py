"""Open-licence items in the data-sharing feed (same conventions as trading's)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from trading.api.feed import market_code
from trading.api.views import SINCE, FeedViewSet, since_filter

from ..models import Declaration


class FeedOpenLicenceSerializer(serializers.ModelSerializer):
    source = serializers.SerializerMethodField()
    number = serializers.SerializerMethodField()
    publication_number = serializers.CharField(source="patent.publication_number")
    application_number = serializers.CharField(source="patent.application_number")
    title = serializers.CharField(source="patent.title")
    patentees = serializers.SerializerMethodField()

    class Meta:
        model = Declaration
        fields = [
            "source",
            "number",
            "publication_number",
            "application_number",
            "title",
            "patentees",
            "status",
            "fee_lump_sum",
            "royalty_rate",
            "royalty_base",
            "payment_method",
            "term_years",
            "declared_on",
            "announced_on",
            "withdrawn_on",
            "updated_at",
        ]

    def get_source(self, obj) -> str:
        return "master" if obj.source == Declaration.Source.MASTER else market_code()

    def get_number(self, obj) -> str:
        return obj.master_id or f"OL{obj.pk}"

    def get_patentees(self, obj) -> list[str]:
        return [c.organization.name for c in obj.consents.all()]


@extend_schema_view(list=extend_schema(parameters=[SINCE]))
class OpenLicenceFeedViewSet(FeedViewSet):
    """Announced and withdrawn open-licence items changed since a timestamp."""

    serializer_class = FeedOpenLicenceSerializer

    def get_queryset(self):
        qs = (
            Declaration.objects.filter(
                status__in=(Declaration.Status.ANNOUNCED, Declaration.Status.WITHDRAWN)
            )
            .select_related("patent")
            .prefetch_related("consents__organization")
        )
        return since_filter(self.request, qs)
