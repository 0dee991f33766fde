from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.backup import database_backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format, or an SQLite copy)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="file to write (default var/backups/<time>.dump)"
        )

    def handle(self, *args, output: Path | None, **options):
        from django.conf import settings

        output = (
            output or settings.VAR_DIR / "backups" / f"portal-{timezone.now():%Y%m%dT%H%M%S}.dump"
        )
        try:
            database_backup(output=output)
        except Exception as exc:  # pg_dump missing or failing: say so, exit non-zero
            detail = getattr(exc, "stderr", b"") or b""
            raise CommandError(f"backup failed: {exc} {detail.decode(errors='replace')}") from exc
        self.stdout.write(f"backup written to {output} ({output.stat().st_size} bytes)")
