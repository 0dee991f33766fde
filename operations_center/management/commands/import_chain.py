"""Import chain definition files (JSON or YAML); with no path, the shipped ones."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations_center.demo import CHAINS_DIR
from operations_center.services.chains import ChainFileError, chain_definition_parse, chain_import


class Command(BaseCommand):
    help = "Import industry-chain definitions from files (default: the shipped fixtures)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)

    def handle(self, *args, paths, **options):
        failed = False
        for path in paths or sorted(CHAINS_DIR.glob("*.json")):
            try:
                data = chain_definition_parse(content=path.read_bytes(), filename=path.name)
                chain = chain_import(data=data)
            except (OSError, ChainFileError) as exc:
                failed = True
                self.stderr.write(f"{path}: {exc}")
                continue
            self.stdout.write(f"{path}: {chain.slug} ({chain.nodes.count()} nodes)")
        if failed:
            raise CommandError("Some files were not imported; see above.")
