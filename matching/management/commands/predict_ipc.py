"""predict_ipc --input F.jsonl --output F.jsonl --top 5

Reads ``{"id": …, "text": …}`` per line, writes ``{"id": …, "labels": [{"code",
"score"}, …]}`` best first. Bad lines are reported on stderr with their line
number and skipped; the exit status is 1 when any line was bad.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from matching.services import read_jsonl
from patents.tagging import ipc_predict

from ._jsonl import batched, open_io, write


class Command(BaseCommand):
    help = "Predict IPC subclasses for texts in a JSONL file."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="JSONL with id and text ('-' for stdin)")
        parser.add_argument("--output", required=True, help="JSONL to write ('-' for stdout)")
        parser.add_argument("--top", type=int, default=5)
        parser.add_argument("--batch-size", type=int, default=64)

    def handle(self, *args, input, output, top, batch_size, **options):
        if not 1 <= top <= 50:
            raise CommandError("--top must be between 1 and 50")
        bad = written = 0
        with open_io(input, output) as (source, target):
            good = []
            for number, record_id, text, error in read_jsonl(source):
                if error:
                    bad += 1
                    self.stderr.write(f"line {number}: {error}")
                else:
                    good.append((record_id, text))
            for batch in batched(good, batch_size):
                predictions = ipc_predict(texts=[t for _i, t in batch], top=top)
                for (record_id, _text), labels in zip(batch, predictions, strict=True):
                    write(
                        target,
                        {"id": record_id, "labels": [{"code": c, "score": s} for c, s in labels]},
                    )
                    written += 1
        self.stderr.write(f"{written} written, {bad} bad lines")
        if bad:
            raise SystemExit(1)
