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
