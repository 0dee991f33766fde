"""Search benchmark: load N patents derived from real records, run a fixed query mix.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_search \\
    SEARCH_INDEX_DIR=var/bench-index \\
        .venv/bin/python bench/search_bench.py --sizes 100000,1000000 --queries 1000

The backend measured is the one the service resolves: ``SEARCH_BACKEND`` if set
(``tantivy`` or ``database`` = PostgreSQL tsvector + RUM index), else the default on
PostgreSQL (``tantivy``). Patent rows always go to PostgreSQL (highlights read them);
the ``database`` backend's tsvector table and RUM index are only loaded when that
backend is measured. ``--load-only`` loads and exits, so that the minutes of loading
run outside the machine's benchmark lock and only the timing runs under it.

Load data: the real records in data/ (7,798 CN titles with examiner IPC subclasses,
57 CN G06F patents with Chinese abstracts, 5,169 NVIDIA US patents with abstracts and
CPC from PatentsView) replicated with new publication numbers (CN2xxxxxxxxA,
US9xxxxxxxB2) until N rows exist. Text, classifications and dates are the real ones;
only the numbers are new. Rows go in with COPY, bypassing the importer, to keep the
load minutes short; the documents are built by the same code the service uses.

The query mix is fixed (seeded): Chinese and English single words drawn from the
corpus vocabulary (common ones included on purpose), phrases, filtered queries and
faceted queries, all through ``patents.search.patent_search``. ``--compare-gin`` also
times the same unfaceted queries ranked by ``ts_rank`` over a GIN index, the design
the RUM index replaces.
"""

from __future__ import annotations

import argparse
import copy
import csv
import datetime as dt
import gzip
import io
import itertools
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from patents.models import Patent  # noqa: E402
from patents.search import patent_search  # noqa: E402
from patents.search.backends import backend_name, get_backend  # noqa: E402
from patents.search.backends.postgres import tsvector_literal  # noqa: E402
from patents.search.documents import build_document, number_tokens  # noqa: E402

DATA = REPO / "data"


def real_records() -> list[Patent]:
    """Unsaved Patent objects from the real datasets in data/."""
    records: list[Patent] = []
    cn = DATA / "cn_patents_zh"
    with (cn / "cn_g06f_patents_with_abstracts.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cpc = row["cpc_labels"].split("|")
            records.append(
                Patent(
                    publication_number=row["publication_number"],
                    country="CN",
                    kind_code="A",
                    title=row["title_zh"],
                    abstract=row["abstract_zh"],
                    main_ipc=cpc[0],
                    ipc_codes=cpc,
                    publication_date=dt.date(2023, 1, 1),
                )
            )
    with (cn / "cn_patent_titles_ipc_subclasses.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            number = row["publication_numbers"].split("|")[0]
            ipcs = row["ipc_subclasses"].split("|")
            kind = number[-1]
            records.append(
                Patent(
                    publication_number=number,
                    country="CN",
                    kind_code=kind,
                    patent_type="utility_model" if kind == "U" else "invention",
                    title=row["title_zh"],
                    main_ipc=ipcs[0],
                    ipc_codes=ipcs,
                    publication_date=dt.date(2021, 1, 1) + dt.timedelta(days=len(records) % 900),
                )
            )
    us = DATA / "us_patents_patentsview_nvidia"
    abstracts = {}
    with gzip.open(us / "nvidia_patent_abstract.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            abstracts[row["patent_id"]] = row["patent_abstract"]
    cpcs: dict[str, list[str]] = {}
    with gzip.open(us / "nvidia_cpc.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cpcs.setdefault(row["patent_id"], []).append(row["cpc_group"])
    with gzip.open(us / "nvidia_patent.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            codes = cpcs.get(row["patent_id"], [])
            records.append(
                Patent(
                    publication_number=f"US{row['patent_id']}{row['wipo_kind']}",
                    country="US",
                    kind_code=row["wipo_kind"],
                    title=row["patent_title"],
                    abstract=abstracts.get(row["patent_id"], ""),
                    main_cpc=codes[0] if codes else "",
                    cpc_codes=codes,
                    legal_status="granted",
                    publication_date=dt.date.fromisoformat(row["patent_date"]),
                )
            )
    return records


def _csv_line(values) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([r"\N" if v is None else v for v in values])
    return buf.getvalue()


def load_tantivy(target: int, docs: list) -> None:
    """Index patents 1..target (ids as loaded into PostgreSQL) into the tantivy index."""
    backend = get_backend()
    have = backend.searcher().num_docs
    if have >= target:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, publication_number FROM patents_patent ORDER BY id OFFSET %s LIMIT %s",
            [have, target - have],
        )
        rows = cursor.fetchall()
    writer = backend._writer()
    for n, (pk, number) in enumerate(rows, start=have):
        doc = copy.copy(docs[n % len(docs)])
        doc.patent_id = pk
        doc.publication_number = number
        doc.number = number_tokens(number)
        writer.add_document(backend.to_tantivy(doc))
        if (n + 1) % 100_000 == 0:
            print(f"  tantivy indexed {n + 1:,}", flush=True)
    writer.commit()
    writer.wait_merging_threads()
    backend._reloaded_at = 0.0


def load(target: int, sources: list[Patent], docs: list, base_literals: list[str]) -> None:
    """Add rows until the tables hold ``target`` patents (so 100k then 1M reuses rows)."""
    have = Patent.objects.count()
    if have >= target:
        return
    with_documents = backend_name() == "database"
    now = dt.datetime.now(dt.UTC).isoformat()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM patents_patent")
        next_id = cursor.fetchone()[0] + 1
    # Bulk loads build the index once at the end: cheaper than maintaining it per row.
    if with_documents:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS searchdoc_tsv_rum")
    raw = connection.connection
    chunk = 50_000
    for start in range(have, target, chunk):
        patents = io.StringIO()
        documents = io.StringIO()
        for i in range(start, min(target, start + chunk)):
            k = i % len(sources)
            src, doc = sources[k], docs[k]
            pk = next_id + i - have
            number = (
                f"CN{200000000 + i}{src.kind_code}"
                if src.country == "CN"
                else f"US{90000000 + i}{src.kind_code}"
            )
            patents.write(
                _csv_line(
                    [
                        pk,
                        number,
                        "",
                        src.country,
                        src.kind_code,
                        src.patent_type,
                        src.title,
                        "",
                        src.abstract,
                        "",
                        "",
                        src.main_ipc,
                        _json(src.ipc_codes),
                        src.main_cpc,
                        _json(src.cpc_codes),
                        src.publication_date,
                        src.legal_status,
                        "",
                        "bench-derived",
                        "",
                        now,
                        now,
                    ]
                )
            )
            if not with_documents:
                continue
            numbers = " ".join(f"'{t}':16000" for t in number_tokens(number))
            documents.write(
                _csv_line(
                    [
                        pk,
                        number,
                        src.publication_date,
                        src.country,
                        src.patent_type,
                        src.legal_status,
                        _json(doc.ipc_subclasses),
                        _json(doc.cpc_subclasses),
                        "[]",
                        "[]",
                        now,
                        base_literals[k] + " " + numbers,
                    ]
                )
            )
        patents.seek(0)
        documents.seek(0)
        with raw.cursor() as cur:
            cur.copy_expert(
                "COPY patents_patent (id, publication_number, application_number, country, "
                "kind_code, patent_type, title, title_language, abstract, abstract_language, "
                "claims, main_ipc, ipc_codes, main_cpc, cpc_codes, publication_date, legal_status, "
                "legal_status_raw, source_dataset, source_file, created_at, updated_at) "
                "FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                patents,
            )
            if with_documents:
                cur.copy_expert(
                    "COPY patents_searchdocument (patent_id, publication_number, publication_date, "
                    "country, patent_type, legal_status, ipc_subclasses, cpc_subclasses, "
                    "applicant_kinds, regions, indexed_at, tsv) "
                    "FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                    documents,
                )
        raw.commit()
        print(f"  loaded {min(target, start + chunk):,}", flush=True)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if with_documents:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(
                "CREATE INDEX searchdoc_tsv_rum ON patents_searchdocument "
                "USING rum (tsv rum_tsvector_ops)"
            )
            print(f"  RUM index built in {time.perf_counter() - t0:.0f} s", flush=True)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('patents_patent', 'id'), max(id)) "
            "FROM patents_patent"
        )
        cursor.execute("ANALYZE patents_patent")
        cursor.execute("ANALYZE patents_searchdocument")


def _json(values) -> str:
    import json

    return json.dumps(values or [], ensure_ascii=False)


def query_mix(docs, sources, n: int, seed: int = 7) -> list[dict]:
    """A fixed mix: 30% zh words, 20% en words, 15% phrases, 15% filtered, 20% faceted."""
    rng = random.Random(seed)
    zh, en = Counter(), Counter()
    zh_pairs, en_pairs = [], []
    for doc in docs:
        for groups in (doc.title, doc.abstract):
            words = [g[0] for g in groups]
            for w in words:
                if len(w) > 1:
                    (zh if "\u4e00" <= w[0] <= "\u9fff" else en)[w] += 1
            for a, b in itertools.pairwise(words):
                if len(a) > 1 and len(b) > 1:
                    (zh_pairs if "\u4e00" <= a[0] <= "\u9fff" else en_pairs).append((a, b))
    # Most frequent first: the top 50 are the "common terms" the target is about.
    zh_words = [w for w, _ in zh.most_common(3000)]
    en_words = [w for w, _ in en.most_common(3000) if w.isalpha() and len(w) > 2]
    subclasses = Counter(s for d in docs for s in d.ipc_subclasses).most_common(40)
    mix = []
    for i in range(n):
        r = i % 20
        common = rng.random() < 0.3
        pick_zh = zh_words[rng.randrange(50)] if common else rng.choice(zh_words)
        pick_en = en_words[rng.randrange(50)] if common else rng.choice(en_words)
        if r < 6:
            mix.append({"kind": "zh word", "text": pick_zh, "common": common})
        elif r < 10:
            mix.append({"kind": "en word", "text": pick_en, "common": common})
        elif r < 13:
            a, b = rng.choice(zh_pairs if r < 12 else en_pairs)
            joiner = "" if r < 12 else " "
            mix.append({"kind": "phrase", "text": f'"{a}{joiner}{b}"', "common": False})
        elif r < 16:
            text = pick_zh if r % 2 else pick_en
            filters = (
                {"ipc": rng.choice(subclasses)[0]}
                if r == 13
                else {"date_from": "2019-01-01", "date_to": "2022-12-31"}
                if r == 14
                else {"country": "CN", "patent_type": "invention"}
            )
            mix.append({"kind": "filtered", "text": text, "filters": filters, "common": common})
        else:
            mix.append(
                {
                    "kind": "faceted",
                    "text": pick_zh if r % 2 else pick_en,
                    "facets": True,
                    "common": common,
                }
            )
    return mix


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def run_mix(mix: list[dict]) -> dict:
    timings: dict[str, list[float]] = {}
    for q in mix[:20]:  # warm-up: segmenter dictionary, connection, caches
        patent_search(text=q["text"], filters=q.get("filters"), facets=q.get("facets", False))
    start = time.perf_counter()
    for q in mix:
        t0 = time.perf_counter()
        patent_search(text=q["text"], filters=q.get("filters"), facets=q.get("facets", False))
        ms = (time.perf_counter() - t0) * 1000
        timings.setdefault(q["kind"], []).append(ms)
        timings.setdefault("all faceted" if q.get("facets") else "all unfaceted", []).append(ms)
        if q["common"] and not q.get("facets"):
            timings.setdefault("common term, unfaceted", []).append(ms)
        timings.setdefault("all", []).append(ms)
    elapsed = time.perf_counter() - start
    return {"timings": timings, "qps": len(mix) / elapsed}


def gin_comparison(mix: list[dict]) -> list[float]:
    """Same unfaceted queries ranked with ts_rank over a GIN index (RUM dropped meanwhile)."""
    from patents.search.backends.postgres import tsquery_literal
    from patents.search.parser import parse_query

    out = []
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS searchdoc_tsv_rum")
        cursor.execute("CREATE INDEX searchdoc_tsv_gin ON patents_searchdocument USING gin (tsv)")
        for q in mix:
            if q.get("facets"):
                continue
            tsq = tsquery_literal(parse_query(q["text"], q.get("filters")))
            t0 = time.perf_counter()
            cursor.execute(
                "SELECT patent_id FROM patents_searchdocument WHERE tsv @@ %s::tsquery "
                "ORDER BY ts_rank(tsv, %s::tsquery) DESC, patent_id LIMIT 20",
                [tsq, tsq],
            )
            cursor.fetchall()
            out.append((time.perf_counter() - t0) * 1000)
        cursor.execute("DROP INDEX searchdoc_tsv_gin")
        cursor.execute(
            "CREATE INDEX searchdoc_tsv_rum ON patents_searchdocument "
            "USING rum (tsv rum_tsvector_ops)"
        )
    return out


def report(size: int, result: dict) -> None:
    print(
        f"\n== {size:,} patents, backend {backend_name()} "
        f"(SEARCH_BACKEND={settings.SEARCH_BACKEND or 'unset'}): "
        f"{result['qps']:.1f} queries/s (one client)"
    )
    print(f"{'class':<26}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind, values in sorted(result["timings"].items()):
        print(
            f"{kind:<26}{len(values):>6}{statistics.median(values):>9.1f}"
            f"{pct(values, 95):>9.1f}{pct(values, 99):>9.1f}{max(values):>9.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000", help="comma-separated, ascending")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--compare-gin", action="store_true")
    parser.add_argument("--reset", action="store_true", help="empty the tables first")
    parser.add_argument("--load-only", action="store_true", help="load up to the sizes, no timing")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the loader uses COPY).")
    call_command("migrate", verbosity=0)
    if args.reset:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE patents_searchdocument, patents_patent CASCADE")
        if backend_name() == "tantivy":
            get_backend().clear()
    sources = real_records()
    docs = []
    literals = []
    t0 = time.perf_counter()
    for i, src in enumerate(sources):
        src.pk = i + 1
        doc = build_document(src, [], [])
        docs.append(doc)
        bare = copy.copy(doc)
        bare.number = []
        literals.append(tsvector_literal(bare))
    print(f"{len(sources):,} real source records segmented in {time.perf_counter() - t0:.1f} s")
    mix = query_mix(docs, sources, args.queries)
    for size in [int(s) for s in args.sizes.split(",")]:
        t0 = time.perf_counter()
        load(size, sources, docs, literals)
        if backend_name() == "tantivy":
            load_tantivy(size, docs)
        print(f"load to {size:,}: {time.perf_counter() - t0:.0f} s", flush=True)
        if args.load_only:
            continue
        report(size, run_mix(mix))
        if args.compare_gin:
            gin = gin_comparison(mix)
            print(
                f"GIN + ts_rank, same {len(gin)} unfaceted queries: p50 "
                f"{statistics.median(gin):.1f} ms, p95 {pct(gin, 95):.1f} ms, "
                f"p99 {pct(gin, 99):.1f} ms, max {max(gin):.1f} ms"
            )


if __name__ == "__main__":
    main()
