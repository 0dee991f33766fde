"""The same engine, run per block group on Apache Spark (PySpark; local mode here).

The engine's decisions for a mention depend only on the people of its own block
(surname + initial) and of the blocks its second blocking key can reach: surname
variants one edit away or without a particle (``variants.surname_variant_keys``) and
the name written the other way round (``variants.swapped_block``). Blocks joined by
those keys form *components*; components never see each other, so clustering each
component on its own, in the engine's order, gives exactly the clusters of one
single-machine run over everything. Spark distributes the components.

Name frequencies are global (how common a name is in the whole corpus): they are
counted once on the driver and broadcast, so every component scores names as the
single-machine run does. Cluster labels are prefixed with the component key.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

from .engine import Assignment, MentionRecord, resolve
from .frequencies import NameFrequencies
from .variants import cross_block_eligible, surname_variant_keys, swapped_block

ROOT = Path(__file__).resolve().parents[2]


def java_available() -> bool:
    return bool(os.environ.get("JAVA_HOME") or shutil.which("java"))


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent.setdefault(x, x)
        while parent != x:
            grand = self.parent.setdefault(parent, parent)
            self.parent[x] = grand
            x, parent = parent, grand
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def block_components(records: Iterable[MentionRecord]) -> dict[str, str]:
    """block → component key: blocks the second blocking key may join share a key.

    Conservative: any two blocks sharing a surname-variant key are joined (the engine
    further requires the surnames to be related), and a block is joined with the
    swapped-order block of each of its mentions.
    """
    uf = _UnionFind()
    by_key: dict[str, str] = {}
    seen_blocks: set[str] = set()
    for r in records:
        block = r.block
        uf.find(block)
        if cross_block_eligible(r.name):
            other = swapped_block(r.name)
            if other:
                uf.union(block, other)
        if block in seen_blocks and not r.name.last_parts:
            continue
        seen_blocks.add(block)
        last, _sep, initial = block.partition("|")
        for key in surname_variant_keys(last, initial, r.name.last_parts):
            first = by_key.setdefault(key, block)
            if first != block:
                uf.union(first, block)
    return {block: uf.find(block) for block in uf.parent}


def _resolve_component(item, frequencies):
    key, records = item
    return resolve(list(records), label_prefix=f"{key}:c", frequencies=frequencies)


def spark_session(master: str = "local[*]", *, app_name: str = "talent-disambiguation"):
    """A SparkSession whose Python workers can import this project."""
    from pyspark.sql import SparkSession

    # py4j logs its socket shutdown at INFO, after a test runner closed its streams.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    paths = [str(ROOT), *(os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def resolve_spark(
    mentions: Iterable[MentionRecord],
    *,
    spark=None,
    frequencies: NameFrequencies | None = None,
    partitions: int | None = None,
) -> list[Assignment]:
    """Cluster ``mentions`` on Spark; same clusters as ``engine.resolve(mentions)``."""
    mentions = list(mentions)
    if not mentions:
        return []
    if frequencies is None:
        frequencies = NameFrequencies.from_names(m.name for m in mentions)
    components = block_components(mentions)
    own_session = spark is None
    if own_session:
        spark = spark_session()
    try:
        sc = spark.sparkContext
        freq = sc.broadcast(frequencies)
        n = partitions or max(sc.defaultParallelism * 4, 1)
        rdd = sc.parallelize([(components[m.block], m) for m in mentions], n)
        grouped = rdd.groupByKey(numPartitions=n)
        return grouped.flatMap(lambda item: _resolve_component(item, freq.value)).collect()
    finally:
        if own_session:
            spark.stop()
