"""Catch up the talent-linked supply directory with listings and open licences."""

from django.core.management.base import BaseCommand

from talent.services import supply_items_sync


class Command(BaseCommand):
    help = "Publish / withdraw supply items from trading listings and open-licence declarations."

    def handle(self, *args, **options):
        stats = supply_items_sync()
        self.stdout.write(
            f"published or updated {stats.published}, withdrawn {stats.withdrawn}, "
            f"unchanged {stats.unchanged}"
        )
