"""Import or export master-platform open-licence items (docs/open-licence-format.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from openlicense.services.sync import master_export, master_import


class Command(BaseCommand):
    help = "Sync open-licence items with the master platform (CSV or JSON)."

    def add_arguments(self, parser):
        parser.add_argument("direction", choices=["import", "export"])
        parser.add_argument("file", nargs="?", help="file to import (.csv or .json)")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument(
            "--source", default=getattr(settings, "OPENLICENSE_MASTER_SOURCE", "master")
        )

    def handle(self, *args, direction, file, format, source, **options):
        if direction == "export":
            self.stdout.write(master_export(fmt=format))
            return
        if not file or not Path(file).is_file():
            raise CommandError("Give the file to import.")
        fmt = "json" if file.lower().endswith(".json") else "csv"
        run = master_import(
            content=Path(file).read_bytes(), fmt=fmt, source=source, file_name=Path(file).name
        )
        self.stdout.write(
            f"new {run.created}, changed {run.changed}, withdrawn {run.withdrawn}, "
            f"unchanged {run.unchanged}, conflicts {len(run.conflicts)}, errors {len(run.errors)}"
        )
        for c in run.conflicts:
            self.stdout.write(f"  conflict line {c['line']} {c['number']}: {c['reason']}")
        for e in run.errors:
            self.stdout.write(f"  error line {e['line']}: {e['reason']}")
