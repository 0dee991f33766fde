"""Rebuild the search index of the configured backend.

database: every patent is re-indexed in place (upserts; searches keep working
throughout). tantivy: the index is rebuilt under the writer lock and replaced in
one commit; searches see the old index until then. elasticsearch: a new
concrete index is filled and the alias swapped atomically, then the old index
deleted: zero downtime.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from patents.search.backends import backend_name
from patents.search.indexing import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the patent search index without downtime."

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=2000)
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue Celery tasks per chunk instead of indexing in this process "
            "(elasticsearch: bulk indexing by the workers; the alias is then swapped "
            "with --swap-only once they finish).",
        )
        parser.add_argument("--keep-old", action="store_true", help="Keep the previous index.")

    def handle(self, *args, chunk_size: int, queue: bool, keep_old: bool, **options):
        if backend_name() == "elasticsearch":
            from patents.search.backends.elastic import ElasticsearchBackend, client

            backend = ElasticsearchBackend()
            new_index = backend.create_index()
            self.stdout.write(f"filling {new_index}")
            count = search_index_rebuild(
                chunk_size=chunk_size, stdout=self.stdout, target_index=new_index
            )
            client().indices.refresh(index=new_index)
            old = backend.swap_alias(new_index)
            if not keep_old:
                for name in old:
                    client().indices.delete(index=name)
            self.stdout.write(
                self.style.SUCCESS(f"{count} patents indexed; alias now on {new_index}")
            )
            return
        if queue:
            from patents.models import Patent
            from patents.search.tasks import search_index

            ids = list(Patent.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), chunk_size):
                search_index.delay(patent_ids=ids[start : start + chunk_size])
            self.stdout.write(self.style.SUCCESS(f"{len(ids)} patents queued for indexing"))
            return
        count = search_index_rebuild(chunk_size=chunk_size, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"{count} patents indexed"))
