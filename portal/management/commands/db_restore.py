from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import database_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by db_backup into --target-url (e.g. a scratch database to "
        "verify a backup) or, with --yes, over the configured database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", type=Path, required=True)
        parser.add_argument("--target-url", help="database URL to restore into")
        parser.add_argument("--yes", action="store_true", help="overwrite the configured database")

    def handle(self, *args, input: Path, target_url: str | None, yes: bool, **options):
        if not target_url and not yes:
            raise CommandError("restoring over the configured database needs --yes")
        try:
            database_restore(source=input, target_url=target_url)
        except Exception as exc:
            detail = getattr(exc, "stderr", b"") or b""
            raise CommandError(f"restore failed: {exc} {detail.decode(errors='replace')}") from exc
        self.stdout.write(f"restored {input} into {target_url or 'the configured database'}")
