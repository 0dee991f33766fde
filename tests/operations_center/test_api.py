from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from operations_center.models import Event

pytestmark = pytest.mark.django_db


def test_public_events_api_lists_events_but_not_cancelled(client):
    Event.objects.create(
        kind="roadshow",
        title="高端装备专利路演",
        place="青岛",
        organizer="中心",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )
    Event.objects.create(
        kind="training",
        title="已取消的培训",
        place="济南",
        organizer="中心",
        starts_at=timezone.now(),
        status="cancelled",
    )
    response = client.get("/api/v1/events/")
    assert response.status_code == 200
    body = response.json()
    titles = [e["title"] for e in body.get("results", body)]
    assert titles == ["高端装备专利路演"]
