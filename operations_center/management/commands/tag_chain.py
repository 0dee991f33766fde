"""Tag patents to a chain's nodes and refresh its navigation aggregates."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from operations_center.models import IndustryChain
from operations_center.services.facts import navigation_facts_refresh
from operations_center.services.tagging import chain_tag


class Command(BaseCommand):
    help = "Tag patents to chain nodes (incremental unless --full) and refresh aggregates."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*")
        parser.add_argument("--full", action="store_true")

    def handle(self, *args, slugs, full, **options):
        chains = IndustryChain.objects.all()
        if slugs:
            chains = chains.filter(slug__in=slugs)
            missing = set(slugs) - set(chains.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"Unknown chains: {', '.join(sorted(missing))}")
        for chain in chains:
            started = time.perf_counter()
            written = chain_tag(chain=chain, full=full)
            tagged = time.perf_counter()
            navigation_facts_refresh(chain=chain)
            self.stdout.write(
                f"{chain.slug}: {written} tags in {tagged - started:.1f}s, "
                f"aggregates in {time.perf_counter() - tagged:.1f}s"
            )
