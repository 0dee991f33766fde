"""Import policies into the policy library (format policy/1, see docs/policy-import.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trading.services.policies import policy_import


class Command(BaseCommand):
    help = "Import policies (CSV or JSON, format policy/1) into the policy library."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=["csv", "json"], help="default: from the suffix")

    def handle(self, *args, file, format=None, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        fmt = format or ("json" if path.suffix.lower() == ".json" else "csv")
        report = policy_import(content=content, fmt=fmt)
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, errors {len(report.errors)}"
        )
        for error in report.errors:
            self.stdout.write(f"  line {error['line']}: {error['reason']}")
