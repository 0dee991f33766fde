"""Compute patent vectors now (the beat task does the same a batch at a time)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from matching.embeddings import patent_embed_batch, patent_embedding_queue


class Command(BaseCommand):
    help = "Embed patents without a vector, most useful first."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, limit, **options):
        ids = patent_embedding_queue(limit=limit)
        done = patent_embed_batch(patent_ids=ids)
        self.stdout.write(f"{done} patents embedded")
