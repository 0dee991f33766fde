"""JSONL plumbing shared by the batch commands: bad lines are reported, not fatal."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import CommandError


@contextmanager
def open_io(input_path: str, output_path: str):
    if input_path != "-" and not Path(input_path).exists():
        raise CommandError(f"input file not found: {input_path}")
    source = sys.stdin if input_path == "-" else open(input_path, encoding="utf-8")  # noqa: SIM115
    target = sys.stdout if output_path == "-" else open(output_path, "w", encoding="utf-8")  # noqa: SIM115
    try:
        yield source, target
    finally:
        if source is not sys.stdin:
            source.close()
        if target is not sys.stdout:
            target.close()


def write(target, record: dict) -> None:
    target.write(json.dumps(record, ensure_ascii=False) + "\n")


def batched(iterable, size: int) -> Iterator[list]:
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
