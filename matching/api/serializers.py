"""Serializers of the matching API: needs, match results, pushes and feedback."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from patents.models import Region

from ..models import NEED_SUBMITTED_FIELDS, Push, PushItem, TechNeed


class TechNeedSerializer(serializers.ModelSerializer):
    """Shapes a need; its title, description and mobile rules are the model fields'
    validators (ModelSerializer copies them), the same ones ``need_submit`` runs."""

    organization = serializers.CharField(source="organization.name", read_only=True)
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    predicted_ipc = serializers.JSONField(read_only=True)
    keywords = serializers.JSONField(read_only=True)

    class Meta:
        model = TechNeed
        fields = [
            "id",
            "organization",
            *NEED_SUBMITTED_FIELDS,
            "status",
            "review_note",
            "published_at",
            "programme_line",
            "predicted_ipc",
            "keywords",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "organization",
            "status",
            "review_note",
            "published_at",
            "programme_line",
            "created_at",
        ]


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "return", "reject"])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MatchQuerySerializer(serializers.Serializer):
    top = serializers.IntegerField(min_value=1, max_value=100, default=20)


class MatchSerializer(serializers.Serializer):
    patent_id = serializers.IntegerField()
    publication_number = serializers.CharField()
    title = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    signals = serializers.DictField(child=serializers.FloatField())


class PushItemSerializer(serializers.ModelSerializer):
    publication_number = serializers.CharField(
        source="patent.publication_number", read_only=True, default=None
    )

    class Meta:
        model = PushItem
        fields = [
            "id",
            "kind",
            "patent",
            "publication_number",
            "object_id",
            "title",
            "clicked_at",
            "feedback",
            "feedback_reason",
            "feedback_note",
            "feedback_at",
            "outcome",
        ]
        read_only_fields = fields


class PushSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    items = PushItemSerializer(many=True, read_only=True)

    class Meta:
        model = Push
        fields = [
            "id",
            "organization",
            "need",
            "channel",
            "programme_line",
            "status",
            "status_reason",
            "personalised",
            "created_at",
            "sent_at",
            "delivery",
            "delivery_reason",
            "delivered_at",
            "opened_at",
            "items",
        ]
        read_only_fields = fields


class PushCreateSerializer(serializers.Serializer):
    need = serializers.PrimaryKeyRelatedField(queryset=TechNeed.objects.all())
    patents = serializers.ListField(
        child=serializers.CharField(max_length=40),
        min_length=1,
        max_length=50,
        help_text=_("Publication numbers of the patents to push."),
    )
    channel = serializers.ChoiceField(choices=Push.Channel.choices, default=Push.Channel.EMAIL)


class FeedbackSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    feedback = serializers.ChoiceField(
        choices=[PushItem.Feedback.INTERESTED, PushItem.Feedback.NOT_INTERESTED]
    )
    reason = serializers.ChoiceField(
        choices=PushItem.Reason.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
