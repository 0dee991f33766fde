"""python manage.py load_reference [--only ipc|regions]"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from patents.services import reference_data_load


class Command(BaseCommand):
    help = "Load the IPC scheme and the Chinese administrative divisions from data/ (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--only", choices=["ipc", "regions"], help="load one table only")

    def handle(self, *args, **opts) -> None:
        started = time.monotonic()
        counts = reference_data_load(only=opts["only"])
        for table, count in counts.items():
            self.stdout.write(f"{table}: {count} rows")
        self.stdout.write(f"reference data loaded in {time.monotonic() - started:.1f}s")
