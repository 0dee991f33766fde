from rest_framework import serializers

from ..models import InventorMention, Patent, PatentApplicant


class ApplicantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="raw_name")
    kind = serializers.CharField(source="organization.kind")
    region = serializers.CharField(source="organization.region_id", allow_null=True)

    class Meta:
        model = PatentApplicant
        fields = ["sequence", "role", "name", "kind", "region"]


class InventorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="raw_name")

    class Meta:
        model = InventorMention
        fields = ["sequence", "name", "country"]


class PatentSerializer(serializers.ModelSerializer):
    applicants = ApplicantSerializer(source="applicant_links", many=True, read_only=True)
    inventors = InventorSerializer(source="inventor_mentions", many=True, read_only=True)

    class Meta:
        model = Patent
        fields = [
            "publication_number",
            "application_number",
            "country",
            "kind_code",
            "patent_type",
            "title",
            "abstract",
            "claim_count",
            "main_ipc",
            "ipc_codes",
            "main_cpc",
            "cpc_codes",
            "application_date",
            "publication_date",
            "grant_date",
            "legal_status",
            "family_size",
            "cited_by_count",
            "applicants",
            "inventors",
            "source_dataset",
        ]


class PatentSearchParamsSerializer(serializers.Serializer):
    """Query parameters of ``GET /api/v1/patents/?q=…``."""

    q = serializers.CharField(
        max_length=2000, allow_blank=True, help_text="Search words (required for a search)."
    )
    ipc = serializers.CharField(
        required=False, help_text="IPC code(s), any level, comma-separated."
    )
    cpc = serializers.CharField(
        required=False, help_text="CPC code(s), any level, comma-separated."
    )
    country = serializers.CharField(required=False, help_text="Country code(s), e.g. CN.")
    patent_type = serializers.CharField(required=False)
    legal_status = serializers.CharField(required=False)
    applicant_kind = serializers.CharField(required=False)
    region = serializers.CharField(
        required=False, help_text="GB/T 2260 region code; a province includes its cities."
    )
    date_from = serializers.DateField(required=False, help_text="Publication date from.")
    date_to = serializers.DateField(required=False, help_text="Publication date until.")
    sort = serializers.ChoiceField(
        choices=["relevance", "date", "date_asc"], required=False, default="relevance"
    )
    facets = serializers.BooleanField(required=False, default=False)
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)

    FILTERS = (
        "ipc",
        "cpc",
        "country",
        "patent_type",
        "legal_status",
        "applicant_kind",
        "region",
        "date_from",
        "date_to",
    )

    def search_arguments(self) -> dict:
        data = self.validated_data
        size = data["page_size"]
        return {
            "text": data["q"],
            "filters": {k: data[k] for k in self.FILTERS if data.get(k) not in (None, "")},
            "sort": data["sort"],
            "limit": size,
            "offset": (data["page"] - 1) * size,
            "facets": data["facets"],
        }


class SearchItemSerializer(serializers.Serializer):
    score = serializers.FloatField()
    highlights = serializers.DictField(
        child=serializers.CharField(), help_text="HTML snippets; matches in <mark>."
    )
    patent = PatentSerializer()


class FacetBucketSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


class PatentSearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    count_is_capped = serializers.BooleanField(
        help_text="True when counting stopped at the cap: there are more matches than `count`."
    )
    results = SearchItemSerializer(many=True)
    facets = serializers.DictField(child=FacetBucketSerializer(many=True))
