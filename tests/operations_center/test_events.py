from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from operations_center.models import Event, EventRegistration
from operations_center.selectors import events_held_in_period
from portal.programme import ProgrammeLine
from portal.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_event(**kw):
    defaults = {
        "kind": Event.Kind.MATCHMAKING,
        "title": "新能源汽车产业专利供需对接会",
        "starts_at": timezone.now() - dt.timedelta(days=3),
        "place": "济南",
        "organizer": "山东省专利运营中心",
    }
    return Event.objects.create(**{**defaults, **kw})


def _checked_in(event):
    EventRegistration.objects.create(
        event=event,
        kind="enterprise",
        organization_name="潍柴动力股份有限公司",
        contact_name="王伟",
        mobile="13800000000",
        checked_in_at=event.starts_at,
    )
    return event


def test_events_held_in_period_excludes_cancelled_future_and_out_of_range():
    today = timezone.localdate()
    held = _checked_in(make_event(status=Event.Status.HELD))
    # Issue 15: still "planned" after its date is not held, even with check-ins, and a
    # "held" event with no attendance and no outcome recorded is not evidenced.
    _checked_in(make_event(starts_at=timezone.now() - dt.timedelta(days=1)))
    make_event(status=Event.Status.HELD, starts_at=timezone.now() - dt.timedelta(days=2))
    make_event(status=Event.Status.CANCELLED)
    _checked_in(
        make_event(status=Event.Status.HELD, starts_at=timezone.now() + dt.timedelta(days=1))
    )
    _checked_in(
        make_event(status=Event.Status.HELD, starts_at=timezone.now() - dt.timedelta(days=400))
    )
    training = _checked_in(
        make_event(
            kind=Event.Kind.TRAINING,
            status=Event.Status.HELD,
            programme_line=ProgrammeLine.TALENT,
        )
    )
    start, end = today - dt.timedelta(days=30), today + dt.timedelta(days=30)
    assert set(events_held_in_period(start=start, end=end)) == {held, training}
    assert set(events_held_in_period(start=start, end=end, kinds=["training"])) == {training}
    assert set(
        events_held_in_period(start=start, end=end, programme_line=ProgrammeLine.TALENT)
    ) == {training}


def test_public_registration_validates_and_saves(client):
    event = make_event(starts_at=timezone.now() + dt.timedelta(days=5))
    url = reverse("operations_center:event", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "在线报名" in page.content.decode()
    bad = client.post(
        url,
        {
            "kind": "enterprise",
            "organization_name": "潍柴动力股份有限公司",
            "contact_name": "王伟",
            "mobile": "12345",
        },
    )
    assert bad.status_code == 200
    assert "请输入11位大陆手机号" in bad.content.decode()
    ok = client.post(
        url,
        {
            "kind": "enterprise",
            "organization_name": "潍柴动力股份有限公司",
            "contact_name": "王伟",
            "mobile": "13800138000",
        },
    )
    assert ok.status_code == 302
    assert EventRegistration.objects.filter(event=event, mobile="13800138000").count() == 1
    again = client.post(
        url,
        {
            "kind": "investor",
            "organization_name": "x",
            "contact_name": "y",
            "mobile": "13800138000",
        },
    )
    assert "该手机号已报名本活动" in again.content.decode()


def test_staff_check_in_list(client):
    event = make_event()
    reg = EventRegistration.objects.create(
        event=event,
        kind="university",
        organization_name="山东大学",
        contact_name="李娜",
        mobile="13900139000",
    )
    url = reverse("operations_center:event_checkin", args=[event.pk])
    assert client.get(url).status_code == 302  # login first
    client.force_login(UserFactory(roles=[Role.ENTERPRISE]))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(roles=[Role.STAFF]))
    assert "山东大学" in client.get(url).content.decode()
    client.post(url, {"registration": reg.pk})
    reg.refresh_from_db()
    assert reg.checked_in_at is not None
