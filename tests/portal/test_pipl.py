import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent, ConsentPurpose, ConsentRecord, DataRightsRequest
from portal.pipl import (
    consent_is_granted,
    consent_record,
    data_rights_request_assign,
    data_rights_request_close,
    data_rights_request_submit,
    data_rights_requests_overdue,
)
from portal.roles import Role
from portal.workdays import add_working_days, is_working_day
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_fifteen_working_days_skip_the_national_day_holiday():
    # 2026-10-01..07 are holidays; Saturday 2026-10-10 is a make-up working day.
    assert not is_working_day(dt.date(2026, 10, 1))
    assert is_working_day(dt.date(2026, 10, 10))
    naive = dt.date(2026, 10, 16)  # 15 Mondays-to-Fridays after Friday 2026-09-25
    assert add_working_days(dt.date(2026, 9, 25), 15) == dt.date(2026, 10, 22) > naive


def test_consent_latest_record_decides_and_withdrawal_is_a_new_row():
    user = UserFactory(username="contact1")
    assert not consent_is_granted(purpose=ConsentPurpose.CONTACT_BY_CENTRE, user=user)
    consent_record(
        purpose=ConsentPurpose.CONTACT_BY_CENTRE,
        granted=True,
        notice_version="2026-01",
        method="web_form",
        user=user,
    )
    assert consent_is_granted(purpose=ConsentPurpose.CONTACT_BY_CENTRE, user=user)
    consent_record(
        purpose=ConsentPurpose.CONTACT_BY_CENTRE,
        granted=False,
        notice_version="2026-01",
        method="web_form",
        user=user,
    )
    assert not consent_is_granted(purpose=ConsentPurpose.CONTACT_BY_CENTRE, user=user)
    assert ConsentRecord.objects.filter(user=user).count() == 2


def test_consent_for_a_person_without_account():
    consent_record(
        purpose=ConsentPurpose.TALENT_PROFILE,
        granted=True,
        notice_version="2026-01",
        method="paper",
        subject_reference="talent.Talent:17",
    )
    assert consent_is_granted(
        purpose=ConsentPurpose.TALENT_PROFILE, subject_reference="talent.Talent:17"
    )
    assert not consent_is_granted(
        purpose=ConsentPurpose.TALENT_PROFILE, subject_reference="talent.Talent:18"
    )
    with pytest.raises(ValueError):
        consent_record(
            purpose=ConsentPurpose.TALENT_PROFILE, granted=True, notice_version="1", method="paper"
        )


def test_rights_request_workflow_with_deadline_and_audit():
    staff = UserFactory(username="dpo", roles=[Role.STAFF])
    item = data_rights_request_submit(
        kind="deletion", name="李四", contact="13800000000", description="删除我的联系方式"
    )
    assert item.due_on == add_working_days(timezone.localdate(item.received_at), 15)
    data_rights_request_assign(rights_request=item, staff=staff)
    assert item.status == DataRightsRequest.Status.IN_PROGRESS
    with pytest.raises(ValueError):
        data_rights_request_close(rights_request=item, staff=staff, resolution=" ")
    data_rights_request_close(rights_request=item, staff=staff, resolution="已删除联系方式")
    item.refresh_from_db()
    assert item.status == DataRightsRequest.Status.COMPLETED and item.closed_at
    events = AuditEvent.objects.filter(
        target_type="portal.datarightsrequest", target_id=str(item.pk)
    )
    assert events.count() == 3
    # Personal data stays out of the trail.
    assert not any("13800000000" in str(e.details) or "李四" in str(e.details) for e in events)


def test_overdue_requests_are_listed():
    item = data_rights_request_submit(
        kind="access", name="王五", contact="a@example.org", description="x"
    )
    DataRightsRequest.objects.filter(pk=item.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert list(data_rights_requests_overdue()) == [item]


def test_public_form_and_my_requests(client):
    user = UserFactory(username="person")
    client.force_login(user)
    response = client.post(
        reverse("privacy_request_create"),
        {
            "kind": "correction",
            "name": "赵六",
            "contact": "z@example.org",
            "description": "手机号有误",
            "agree": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    item = DataRightsRequest.objects.get()
    assert item.requester == user
    page = client.get(reverse("privacy_requests_mine")).content.decode()
    assert str(item.due_on) in page


def test_a_request_is_refused_with_a_reason_when_no_holiday_calendar_covers_its_deadline(
    client,
):
    from portal.models import WorkCalendarYear

    WorkCalendarYear.objects.all().delete()
    response = client.post(
        reverse("privacy_request_create"),
        {
            "kind": "correction",
            "name": "赵六",
            "contact": "z@example.org",
            "description": "手机号有误",
            "agree": "on",
        },
    )
    assert response.status_code == 200
    assert "节假日安排" in " ".join(response.context["form"].non_field_errors())
    assert not DataRightsRequest.objects.exists()


def test_form_says_what_to_fix(client):
    response = client.post(reverse("privacy_request_create"), {"kind": "nonsense"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {
        "kind",
        "name",
        "contact",
        "description",
        "agree",
    }


def test_staff_close_requests_in_the_admin(client):
    staff = UserFactory(username="dpo2", roles=[Role.STAFF], is_staff=True)
    item = data_rights_request_submit(
        kind="objection", name="钱七", contact="q@example.org", description="停止推送"
    )
    client.force_login(staff)
    url = reverse("admin:portal_datarightsrequest_changelist")
    assert client.get(url + "?deadline=open").status_code == 200
    client.post(url, {"action": "assign_to_me", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert item.assigned_to == staff
