"""Delete audit events older than the retention period (never younger than 183 days)."""

from django.core.management.base import BaseCommand, CommandError

from portal.audit import audit_events_purge


class Command(BaseCommand):
    help = "Delete audit events older than --older-than-days (at least 183, 等保 retention)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, required=True)

    def handle(self, *args, older_than_days: int, **options):
        try:
            deleted = audit_events_purge(older_than_days=older_than_days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"deleted {deleted} audit events older than {older_than_days} days")
