"""`disambiguate_inventors --engine spark` (PySpark local mode) gives the same clusters as
the single-machine engine: on the real NVIDIA sample shipped in data/, and on every
benchmark of /work/shared/data (skipped when that folder is absent)."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from talent.disambiguation.engine import resolve
from talent.disambiguation.records import build_records

pytestmark = [
    pytest.mark.skipif(
        not shutil.which("java"), reason="Spark needs a Java runtime (java not on PATH)"
    ),
]
pyspark = pytest.importorskip("pyspark", reason="pyspark is pinned in pyproject.toml")

_BASE = Path(settings.BASE_DIR)
SHARED = next(
    (
        p / "shared" / "data" / "inventor_disambiguation_benchmarks"
        for p in (_BASE.parent, _BASE.parent.parent)  # main checkout, or a worktree
        if (p / "shared" / "data" / "inventor_disambiguation_benchmarks").exists()
    ),
    _BASE.parent / "shared" / "data" / "inventor_disambiguation_benchmarks",
)


def _partition(assignments) -> set[frozenset]:
    groups = defaultdict(set)
    for a in assignments:
        groups[a.label].add(a.mention_id)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def spark():
    from talent.disambiguation.spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


def test_block_components_join_surname_variants_and_swapped_names():
    from talent.disambiguation.spark import block_components

    records = build_records(
        [
            {"mention_id": "a", "name_first": "Mark", "name_last": "Liberman"},
            {"mention_id": "b", "name_first": "Mark", "name_last": "Lieberman"},
            {"mention_id": "c", "name_first": "Tsu-Jae", "name_last": "King"},
            {"mention_id": "d", "name_first": "King", "name_last": "Tsujae"},
            {"mention_id": "e", "name_first": "Nancy", "name_last": "Allbritton"},
        ]
    )
    comp = block_components(records)
    by_id = {r.id: comp[r.block] for r in records}
    assert by_id["a"] == by_id["b"]
    assert by_id["c"] == by_id["d"]
    assert len({by_id["a"], by_id["c"], by_id["e"]}) == 3


def test_spark_engine_matches_local_engine_on_the_nvidia_sample(spark, data_dir):
    from talent.disambiguation.spark import resolve_spark

    with open(
        data_dir / "talent" / "nvidia_inventor_sample.csv", newline="", encoding="utf-8"
    ) as fh:
        records = build_records(list(csv.DictReader(fh)))
    local = resolve(records)
    on_spark = resolve_spark(records, spark=spark)
    assert len(on_spark) == len(records)
    assert _partition(on_spark) == _partition(local)
    # Not a trivial partition: people with several mentions exist.
    assert sum(1 for g in _partition(local) if len(g) > 1) > 20
    confidence = {a.mention_id: a.confidence for a in local}
    assert all(abs(a.confidence - confidence[a.mention_id]) < 1e-12 for a in on_spark)


@pytest.mark.skipif(not SHARED.exists(), reason=f"benchmarks not present at {SHARED}")
def test_spark_engine_matches_local_engine_on_every_benchmark(spark):
    from talent.disambiguation.spark import resolve_spark

    by = defaultdict(list)
    with open(SHARED / "inventor_benchmarks.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["name_last"] or row["name_first"]:
                by[row["benchmark"]].append(row)
    all_records = {r.id: r for r in build_records([r for rows in by.values() for r in rows])}
    assert set(by) >= {"lai2011", "ens", "harvard", "patentsview2021"}
    for name, rows in by.items():
        records = [all_records[r["mention_id"]] for r in rows]
        assert _partition(resolve_spark(records, spark=spark)) == _partition(resolve(records)), name


def test_command_engine_spark_writes_the_same_clusters(tmp_path, data_dir):
    with open(
        data_dir / "talent" / "nvidia_inventor_sample.csv", newline="", encoding="utf-8"
    ) as fh:
        rows = list(csv.DictReader(fh))[:300]
    src = tmp_path / "mentions.csv"
    fields = ["mention_id", "name_first", "name_last", "patent_number", "assignee", "ipc", "year"]
    with open(src, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for r in rows:
            writer.writerow({k: r[k] for k in fields})
    outputs = {}
    for engine in ("local", "spark"):
        call_command(
            "disambiguate_inventors",
            input=str(src),
            output=str(tmp_path / f"{engine}.csv"),
            engine=engine,
            spark_master="local[2]",
        )
        groups = defaultdict(set)
        with open(tmp_path / f"{engine}.csv", newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                groups[r["cluster_id"]].add(r["mention_id"])
        outputs[engine] = {frozenset(g) for g in groups.values()}
    assert outputs["spark"] == outputs["local"]
    assert len(outputs["local"]) < len(rows)
