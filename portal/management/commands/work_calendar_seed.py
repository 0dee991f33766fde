"""Record the holiday calendar years ``chinese-calendar`` covers that are not on
record yet (after upgrading the package when a new State Council notice is out)."""

from django.core.management.base import BaseCommand

from portal.workdays import work_calendar_seed


class Command(BaseCommand):
    help = "Add holiday calendar years from the chinese-calendar package."

    def handle(self, *args, **options):
        added = work_calendar_seed()
        self.stdout.write(f"{added} holiday calendar year(s) added")
