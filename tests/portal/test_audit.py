import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from portal.audit import AuditAction, audit_events_search, audit_record
from portal.models import AppendOnlyError, AuditEvent
from portal.roles import Role
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _old_event(days: int) -> AuditEvent:
    return AuditEvent.objects.create(
        action="record.updated",
        actor_label="old",
        created_at=timezone.now() - dt.timedelta(days=days),
    )


def test_audit_record_keeps_who_what_which_when_where(rf):
    user = UserFactory(username="auditee")
    org = OrganizationFactory()
    request = rf.post("/x", REMOTE_ADDR="10.1.2.3")
    request.user = user
    event = audit_record(
        action=AuditAction.STATE_CHANGED,
        target=org,
        details={"from": "draft", "to": "published"},
        request=request,
    )
    event.refresh_from_db()
    assert event.actor_id == user.pk and event.actor_label == "auditee"
    assert event.target_type == "patents.organization" and event.target_id == str(org.pk)
    assert event.ip_address == "10.1.2.3" and event.details["to"] == "published"
    assert (
        audit_events_search(target_type="patents.organization", target_id=str(org.pk)).get()
        == event
    )


def test_orm_cannot_change_or_delete_events():
    event = audit_record(action=AuditAction.EXPORTED, actor_label="x")
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.postgres
def test_database_trigger_refuses_raw_update_and_young_delete(on_postgres):
    if not on_postgres:
        pytest.skip("the trigger exists on PostgreSQL only")
    event = audit_record(action=AuditAction.EXPORTED, actor_label="x")
    for sql in (
        "UPDATE portal_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE FROM portal_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    old = _old_event(400)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM portal_auditevent WHERE id = %s", [old.pk])
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


def test_purge_refuses_to_shorten_retention():
    with pytest.raises(CommandError, match="at least"):
        call_command("audit_purge", "--older-than-days", "30")


def test_purge_deletes_only_expired_events(settings):
    settings.AUDIT_RETENTION_DAYS = 183
    old, young = _old_event(400), _old_event(10)
    out = io.StringIO()
    call_command("audit_purge", "--older-than-days", "365", stdout=out)
    assert "deleted 1" in out.getvalue()
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [young.pk]
    assert old.pk not in AuditEvent.objects.values_list("pk", flat=True)


def test_audit_admin_exports_csv_and_others_cannot(client):
    audit_record(action=AuditAction.EXPORTED, actor_label="=cmd|' /C calc'!A0")
    auditor = UserFactory(username="auditor", roles=[Role.AUDIT_ADMIN])
    enterprise = UserFactory(username="ent", roles=[Role.ENTERPRISE])
    url = reverse("audit_export_csv") + "?action=data.exported"

    client.force_login(enterprise)
    assert client.get(url).status_code == 403
    client.force_login(auditor)
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and rows[0]["action"] == "data.exported"
    assert rows[-1]["actor_label"].startswith("'=")  # no formula injection
    # The export itself is on the record.
    assert AuditEvent.objects.filter(action="data.exported", actor_label="auditor").exists()


def test_admin_is_read_only_for_auditors(client, settings):
    auditor = UserFactory(username="auditor2", roles=[Role.AUDIT_ADMIN], is_staff=True)
    event = audit_record(action=AuditAction.LOGIN, actor_label="someone")
    client.force_login(auditor)
    assert (
        client.get(reverse("admin:portal_auditevent_changelist") + "?q=someone").status_code == 200
    )
    assert client.get(reverse("admin:portal_auditevent_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:portal_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.get(reverse("admin:portal_auditevent_add")).status_code == 403
