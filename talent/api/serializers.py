from rest_framework import serializers

from ..models import SupplyItem, Talent


class TalentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Talent
        fields = [
            "id",
            "display_name",
            "country",
            "patent_count",
            "granted_invention_count",
            "is_high_yield",
        ]


class SupplyItemSerializer(serializers.ModelSerializer):
    publication_number = serializers.CharField(source="patent.publication_number")
    holder = serializers.CharField(source="holder.name", default="")
    talents = TalentBriefSerializer(many=True)

    class Meta:
        model = SupplyItem
        fields = ["id", "title", "kind", "publication_number", "holder", "talents", "published_at"]


class ExpertQuerySerializer(serializers.Serializer):
    q = serializers.CharField(min_length=2, max_length=2000)
    region = serializers.ChoiceField(
        choices=["", "shandong", "yellow_river", "overseas"], required=False, default=""
    )
    limit = serializers.IntegerField(min_value=1, max_value=100, required=False, default=20)
