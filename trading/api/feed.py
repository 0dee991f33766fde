"""The data-sharing feed format: serializers shared by the API views (export)
and the partner importer (import), so both always agree."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from ..models import Deal, Listing


def market_code() -> str:
    return getattr(settings, "TRADING_MARKET_CODE", "yellow-river-hub")


class PartySerializer(serializers.Serializer):
    name = serializers.CharField()
    uscc = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    kind = serializers.CharField(required=False)


def _party(org) -> dict:
    # A natural person's name is personal data: never shared with partner markets.
    if org.kind == "individual":
        return {"name": "", "uscc": "", "kind": org.kind}
    return {"name": org.name, "uscc": org.uscc or "", "kind": org.kind}


class FeedListingSerializer(serializers.ModelSerializer):
    source = serializers.SerializerMethodField()
    number = serializers.SerializerMethodField()
    holder = serializers.SerializerMethodField()
    patents = serializers.SerializerMethodField()

    class Meta:
        model = Listing
        fields = [
            "source",
            "number",
            "title",
            "subject",
            "purpose",
            "status",
            "asking_price",
            "terms",
            "description",
            "holder",
            "patents",
            "notice_starts_on",
            "notice_ends_on",
            "listed_at",
            "updated_at",
        ]

    def get_source(self, obj) -> str:
        return obj.external_source or market_code()

    def get_number(self, obj) -> str:
        return obj.external_number or f"L{obj.pk}"

    def get_holder(self, obj) -> dict:
        return _party(obj.holder)

    def get_patents(self, obj) -> list[str]:
        return [lp.patent.publication_number for lp in obj.listing_patents.all()]


class FeedDealSerializer(serializers.ModelSerializer):
    source = serializers.SerializerMethodField()
    # Kept in the format (partners' parsers expect it) but never filled: a contract
    # number identifies the parties' private agreement.
    contract_number = serializers.SerializerMethodField()
    number = serializers.SerializerMethodField()
    assignor = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    patents = serializers.SerializerMethodField()

    class Meta:
        model = Deal
        fields = [
            "source",
            "number",
            "kind",
            "status",
            "title",
            "assignor",
            "assignee",
            "patents",
            "amount",
            "signed_on",
            "starts_on",
            "ends_on",
            "contract_number",
            "recordal_number",
            "updated_at",
        ]

    def get_source(self, obj) -> str:
        return obj.external_source or market_code()

    def get_number(self, obj) -> str:
        return obj.external_number or f"D{obj.pk}"

    def get_contract_number(self, obj) -> str:
        return ""

    def get_assignor(self, obj) -> dict:
        return _party(obj.assignor)

    def get_assignee(self, obj) -> dict:
        return _party(obj.assignee)

    def get_patents(self, obj) -> list[str]:
        return [dp.patent.publication_number for dp in obj.deal_patents.all()]


class FeedNeedSerializer(serializers.Serializer):
    """A published technology need. No personal data: the contact person and
    mobile number are never shared, and an individual's name is withheld."""

    source = serializers.SerializerMethodField()
    number = serializers.SerializerMethodField()
    title = serializers.CharField()
    description = serializers.CharField()
    industry = serializers.CharField()
    cooperation_mode = serializers.CharField()
    budget_range = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    region = serializers.SerializerMethodField()
    organization = serializers.SerializerMethodField()
    status = serializers.CharField()
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_source(self, obj) -> str:
        return market_code()

    def get_number(self, obj) -> str:
        return f"N{obj.pk}"

    def get_region(self, obj) -> dict | None:
        return {"code": obj.region.code, "name": obj.region.name} if obj.region_id else None

    def get_organization(self, obj) -> dict:
        org = obj.organization
        if org.kind == "individual":
            return {"name": "", "uscc": "", "kind": org.kind}
        return _party(org)


class IncomingListingSerializer(serializers.Serializer):
    source = serializers.CharField(max_length=64)
    number = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=255)
    subject = serializers.ChoiceField(choices=Listing.Subject.choices)
    purpose = serializers.ChoiceField(choices=Listing.Purpose.choices)
    status = serializers.ChoiceField(choices=Listing.Status.choices)
    asking_price = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, required=False
    )
    terms = serializers.CharField(allow_blank=True, required=False, default="")
    description = serializers.CharField(allow_blank=True, required=False, default="")
    holder = PartySerializer()
    patents = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    listed_at = serializers.DateTimeField(allow_null=True, required=False)


class IncomingDealSerializer(serializers.Serializer):
    source = serializers.CharField(max_length=64)
    number = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=Deal.Kind.choices)
    status = serializers.ChoiceField(choices=Deal.Status.choices)
    title = serializers.CharField(allow_blank=True, required=False, default="")
    assignor = PartySerializer()
    assignee = PartySerializer()
    patents = serializers.ListField(child=serializers.CharField(), min_length=1)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    signed_on = serializers.DateField(allow_null=True, required=False)
    starts_on = serializers.DateField(allow_null=True, required=False)
    ends_on = serializers.DateField(allow_null=True, required=False)
    contract_number = serializers.CharField(allow_blank=True, required=False, default="")
    recordal_number = serializers.CharField(allow_blank=True, required=False, default="")
