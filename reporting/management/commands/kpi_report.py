"""Write a project's KPI report for a period to a file, as the web page would."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reporting.models import Project
from reporting.services import period_parse, report_build_file


class Command(BaseCommand):
    help = "Render a project's KPI report (PDF or Excel) for a year, quarter or named period."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="project id or code")
        parser.add_argument("--period", required=True, help="2026, 2026Q1 or a period label")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, project, period, format, output, **options):
        lookup = {"pk": int(project)} if project.isdigit() else {"code": project}
        found = Project.objects.filter(**lookup).first()
        if found is None:
            raise CommandError(f"No project {project!r}.")
        try:
            span = period_parse(text=period)
            data = report_build_file(project=found, period=span, fmt=format)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        Path(output).write_bytes(data)
        self.stdout.write(f"wrote {output} ({len(data)} bytes, {format}, {span.label})")
