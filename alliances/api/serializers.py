"""Serializers of the alliances API."""

from __future__ import annotations

from rest_framework import serializers

from operations_center.models import IndustryChain
from patents.models import Organization

from ..models import Alliance, AllianceMember, PatentPool, PoolLicence, PoolPatent


class MemberSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = AllianceMember
        fields = ["id", "organization", "organization_name", "role", "joined_on"]


class AllianceSerializer(serializers.ModelSerializer):
    chain = serializers.SlugRelatedField(slug_field="slug", queryset=IndustryChain.objects.all())
    members = MemberSerializer(source="memberships", many=True, read_only=True)
    pools = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Alliance
        fields = ["id", "name", "chain", "charter", "founded_on", "members", "pools"]


class MemberAddSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    role = serializers.ChoiceField(choices=AllianceMember.Role.choices)
    joined_on = serializers.DateField(required=False, allow_null=True)


class ContributionSerializer(serializers.ModelSerializer):
    publication_number = serializers.CharField(source="patent.publication_number", read_only=True)

    class Meta:
        model = PoolPatent
        fields = ["id", "patent", "publication_number", "contributor", "contributed_on"]


class PoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatentPool
        fields = ["id", "alliance", "name", "licensing_terms", "standard_royalty"]


class LicenceSerializer(serializers.ModelSerializer):
    licensee_name = serializers.CharField(source="licensee.name", read_only=True)

    class Meta:
        model = PoolLicence
        fields = [
            "id",
            "pool",
            "licensee",
            "licensee_name",
            "status",
            "royalty",
            "signed_on",
            "starts_on",
            "ends_on",
            "programme_line",
            "deal",
        ]
        read_only_fields = fields


class LicenceGrantSerializer(serializers.Serializer):
    licensee = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    royalty = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    signed_on = serializers.DateField()
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    contract_number = serializers.CharField(required=False, allow_blank=True, max_length=64)


class LicenceCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class NodeCoverageSerializer(serializers.Serializer):
    node = serializers.CharField(source="node.key")
    node_name = serializers.CharField(source="node.name")
    pool_patents = serializers.IntegerField()
    is_gap = serializers.BooleanField()
    candidates = serializers.ListField(child=serializers.DictField(), read_only=True)


class PoolAnalyticsSerializer(serializers.Serializer):
    contributed_patents = serializers.IntegerField()
    contributors = serializers.IntegerField()
    licences_signed = serializers.IntegerField()
    royalties = serializers.DecimalField(max_digits=16, decimal_places=2)
    nodes_total = serializers.IntegerField()
    nodes_covered = serializers.IntegerField()
    coverage_percent = serializers.IntegerField()
    coverage = NodeCoverageSerializer(many=True)
