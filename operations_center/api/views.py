"""Read-only API of public events (the calendar other sites embed)."""

from __future__ import annotations

from rest_framework import permissions, serializers, viewsets

from ..models import Event
from ..selectors import event_list_public


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "kind", "title", "starts_at", "ends_at", "place", "organizer", "status"]


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    # The public calendar: open to anonymous readers on purpose.
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return event_list_public()
