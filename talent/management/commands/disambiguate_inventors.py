"""Standalone: cluster the inventor mentions of a CSV file into people.

    python manage.py disambiguate_inventors --input mentions.csv --output clusters.csv

Input columns: mention_id, name_first, name_last, and any of name_full, country,
patent_number, assignee, co_inventors, ipc, city, year (multi-valued cells use
``;``). Output: mention_id, cluster_id (plus confidence with --confidence).
Rows without a mention_id or any name are reported with their line and skipped.
No database is touched.

``--engine spark`` runs the same engine per block group on Apache Spark (PySpark;
``--spark-master local[*]`` by default, a cluster URL in production) and writes the
same clusters (docs/scaling.md). It needs Java 17+ and the pinned ``pyspark``.
"""

from __future__ import annotations

import csv
import time

from django.core.management.base import BaseCommand, CommandError

from talent.disambiguation.engine import resolve
from talent.disambiguation.records import build_records

REQUIRED = {"mention_id", "name_first", "name_last"}


class Command(BaseCommand):
    help = "Cluster inventor mentions of a CSV into people (mention_id → cluster_id)."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)
        parser.add_argument("--confidence", action="store_true", help="add a confidence column")
        parser.add_argument(
            "--engine",
            choices=("local", "spark"),
            default="local",
            help="local: one process (default); spark: PySpark, per block group",
        )
        parser.add_argument("--spark-master", default="local[*]", help="Spark master URL")

    def handle(self, *args, input, output, confidence, engine, spark_master, **options):
        started = time.perf_counter()
        try:
            fh = open(input, newline="", encoding="utf-8-sig")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise CommandError(f"cannot read {input}: {exc}") from exc
        with fh:
            reader = csv.DictReader(fh)
            missing = REQUIRED - set(reader.fieldnames or [])
            if missing:
                raise CommandError(f"{input}: missing column(s) {', '.join(sorted(missing))}")
            rows, seen, bad = [], set(), 0
            for line, row in enumerate(reader, start=2):
                mid = (row.get("mention_id") or "").strip()
                reason = None
                if not mid:
                    reason = "mention_id is empty"
                elif mid in seen:
                    reason = f"duplicate mention_id {mid!r}"
                elif not any(
                    (row.get(k) or "").strip() for k in ("name_first", "name_last", "name_full")
                ):
                    reason = "no name"
                if reason:
                    bad += 1
                    self.stderr.write(f"line {line}: {reason}; skipped")
                    continue
                seen.add(mid)
                row["mention_id"] = mid
                rows.append(row)
        records = build_records(rows)
        run = self._spark if engine == "spark" else (lambda recs, _master: resolve(recs))
        assignments = run(records, spark_master)
        with open(output, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["mention_id", "cluster_id", *(["confidence"] if confidence else [])])
            order = {r["mention_id"]: i for i, r in enumerate(rows)}
            for a in sorted(assignments, key=lambda a: order[a.mention_id]):
                writer.writerow(
                    [a.mention_id, a.label, *([f"{a.confidence:.3f}"] if confidence else [])]
                )
        people = len({a.label for a in assignments})
        self.stdout.write(
            f"{len(assignments)} mentions → {people} people, {bad} rows skipped, "
            f"{time.perf_counter() - started:.1f}s → {output}"
        )

    def _spark(self, records, master):
        from talent.disambiguation.spark import java_available, resolve_spark, spark_session

        if not java_available():
            raise CommandError("--engine spark needs Java 17+ (java not found, JAVA_HOME unset)")
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise CommandError(f"--engine spark needs pyspark: {exc}") from exc
        # A session the caller already runs is used and left running.
        active = SparkSession.getActiveSession()
        spark = active or spark_session(master)
        try:
            return resolve_spark(records, spark=spark)
        finally:
            if active is None:
                spark.stop()
