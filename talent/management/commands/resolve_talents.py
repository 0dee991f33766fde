"""Link the portal's inventor mentions to talents (incremental by default)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from talent.services import talents_resolve


class Command(BaseCommand):
    help = "Resolve inventor mentions into talents; --full re-clusters everything (pins kept)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true")

    def handle(self, *args, full, **options):
        stats = talents_resolve(full=full)
        self.stdout.write(
            f"{stats.mentions} mentions: {stats.new_talents} new talents, "
            f"{stats.linked_to_existing} attached to existing, {stats.pinned} pinned, "
            f"{stats.to_review} to review"
        )
