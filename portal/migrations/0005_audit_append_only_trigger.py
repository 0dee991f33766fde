"""On PostgreSQL the database itself keeps the audit trail append-only.

UPDATE is refused always; DELETE only for rows older than 183 days (the
retention floor, portal.audit.MIN_RETENTION_DAYS), which is what the
``audit_purge`` command does. The ORM refuses both as well (AuditEventQuerySet);
the trigger also stops raw SQL and other clients. (TRUNCATE is left to the
table owner: the application's database role should not own the table in
production; test databases need it to reset between tests.)
SQLite (embedded demo mode) has only the ORM guard, because Django's test
flush empties tables with DELETE.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION portal_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit events are append-only';
    END IF;
    IF OLD.created_at > now() - interval '183 days' THEN
        RAISE EXCEPTION 'audit events younger than 183 days cannot be deleted';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS portal_auditevent_append_only ON portal_auditevent;
CREATE TRIGGER portal_auditevent_append_only
    BEFORE UPDATE OR DELETE ON portal_auditevent
    FOR EACH ROW EXECUTE FUNCTION portal_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS portal_auditevent_append_only ON portal_auditevent;
DROP FUNCTION IF EXISTS portal_auditevent_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_audit_consent_rights_idempotency")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
