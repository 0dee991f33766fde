"""python manage.py import_patents PATH --format FORMAT"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from patents.importing.formats import FORMAT_MODULES
from patents.importing.source import ImportFileError
from patents.services import patent_import_file


class Command(BaseCommand):
    help = "Import patents from a file (or a PatentsView folder); bad rows go to an error report."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", required=True, choices=sorted(FORMAT_MODULES))
        parser.add_argument("--dataset", help="provenance label stored on each patent")
        parser.add_argument(
            "--encoding", default="auto", help="file encoding; 'auto' detects UTF-8 or GBK"
        )
        parser.add_argument(
            "--mapping",
            help="JSON object or path to a JSON file mapping column headers to fields "
            "(format 'table' only)",
        )
        parser.add_argument("--sheet", help="worksheet name (Excel files, format 'table')")
        parser.add_argument("--errors", type=Path, help="where to write the error report")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts) -> None:
        path: Path = opts["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        options: dict = {"encoding": opts["encoding"]}
        if opts["mapping"]:
            options["mapping"] = _load_mapping(opts["mapping"])
        if opts["sheet"]:
            options["sheet"] = opts["sheet"]
        bar = None
        if not opts["no_progress"]:
            bar = tqdm(
                total=path.stat().st_size if path.is_file() else None,
                unit="B",
                unit_scale=True,
                desc=path.name,
            )

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            outcome = patent_import_file(
                path=path,
                format=opts["format"],
                options=options,
                dataset=opts["dataset"],
                error_report_path=opts["errors"],
                progress=progress if bar is not None else None,
                batch_size=opts["batch_size"],
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            f"read {outcome.read}, created {outcome.created}, updated {outcome.updated}, "
            f"rejected {outcome.rejected}"
        )
        if outcome.error_report:
            self.stdout.write(f"error report: {outcome.error_report}")


def _load_mapping(value: str) -> dict[str, str]:
    try:
        text = Path(value).read_text(encoding="utf-8") if Path(value).exists() else value
        mapping = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise CommandError(f"--mapping is neither a JSON object nor a JSON file: {exc}") from exc
    if not isinstance(mapping, dict):
        raise CommandError("--mapping must be a JSON object of header → field")
    return mapping
