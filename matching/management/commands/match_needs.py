"""match_needs --input F.jsonl --output F.jsonl --top 20

Matches each ``{"id": …, "text": …}`` against the patents in the database and
writes ``{"id": …, "results": [{"publication_number", "score", "reasons"}, …]}``
best first. Bad lines are reported on stderr with their line number.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from matching.services import match_batch_rows, read_jsonl

from ._jsonl import open_io, write


class Command(BaseCommand):
    help = "Match a batch of technology needs against the patents in the database."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)
        parser.add_argument("--top", type=int, default=20)

    def handle(self, *args, input, output, top, **options):
        if not 1 <= top <= 200:
            raise CommandError("--top must be between 1 and 200")
        bad = written = 0
        with open_io(input, output) as (source, target):
            good = []
            for number, record_id, text, error in read_jsonl(source):
                if error:
                    bad += 1
                    self.stderr.write(f"line {number}: {error}")
                else:
                    good.append((record_id, text))
            for record in match_batch_rows(rows=good, top=top):
                write(target, record)
                written += 1
        self.stderr.write(f"{written} written, {bad} bad lines")
        if bad:
            raise SystemExit(1)
