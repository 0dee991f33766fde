"""Reporting benchmark: annual report render time and dashboard latency.

Targets (issue 8): a ~20-page annual report over 1M patents and a year of activity
renders in <= 3 s; the funders' dashboard answers in <= 300 ms p95.

    DATABASE_URL=postgres://... .venv/bin/python bench/reporting_bench.py --patents 1000000

Load data (in the database DATABASE_URL names, never a test database):
- patents: the 7,798 real CN records of data/cn_patents_zh, repeated with derived
  publication numbers (CN9xxxxxxxxA, source_dataset "bench-derived") until --patents
  rows exist; titles and IPC codes are the real ones; load dates spread over 2025-2026.
- inventor mentions: one for every second patent, names taken in turn from the real
  names of data/../inventor_disambiguation_benchmarks (ENS and Harvard sets) when present.
- a year of activity in the other apps' own models, read through their real KPI
  selectors (pushes, needs, events, deals, listings, open licences, supply items,
  trainees): see ``bench/reporting_activity.py``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from patents.models import InventorMention, Patent  # noqa: E402
from portal.programme import ProgrammeLine  # noqa: E402
from reporting.models import Project  # noqa: E402
from reporting.services import period_get_or_create, report_build_file  # noqa: E402

BATCH = 5000
SHARED = REPO.parent.parent / "shared" / "data"


def real_rows() -> list[tuple[str, list[str]]]:
    path = REPO / "data" / "cn_patents_zh" / "cn_patent_titles_ipc_subclasses.csv"
    with path.open(encoding="utf-8") as fh:
        return [(r["title_zh"], r["ipc_subclasses"].split("|")) for r in csv.DictReader(fh)]


def real_names() -> list[str]:
    for base in (SHARED, Path("/work/shared/data")):
        path = base / "inventor_disambiguation_benchmarks" / "inventor_benchmarks.csv"
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                names = [
                    f"{r['name_first']} {r['name_last']}".strip()
                    for r in csv.DictReader(fh)
                    if r.get("name_last")
                ]
            if names:
                return names[:20000]
    return ["王伟", "李娜", "张敏"]  # first inventors named in the CN test records


def load(n: int) -> None:
    have = Patent.objects.filter(source_dataset="bench-derived").count()
    if have >= n:
        print(f"data: {have:,} bench-derived patents already loaded")
        return
    t0 = time.perf_counter()
    if connection.vendor == "postgresql":
        _load_postgres(have, n)
    else:
        _load_orm(have, n)
    print(f"\ndata: loaded {n - have:,} patents in {time.perf_counter() - t0:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE patents_patent; ANALYZE patents_inventormention;")


def _load_postgres(have: int, n: int) -> None:
    """INSERT ... SELECT over the real rows: a million rows in seconds, not minutes."""
    rows, names = real_rows(), real_names()
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_real (rn int, title text, main_ipc text, ipcs jsonb)")
        cur.executemany(
            "INSERT INTO bench_real VALUES (%s, %s, %s, %s::jsonb)",
            [(i, t, ipcs[0], json.dumps(ipcs)) for i, (t, ipcs) in enumerate(rows)],
        )
        cur.execute("CREATE TEMP TABLE bench_names (rn int, name text)")
        cur.executemany("INSERT INTO bench_names VALUES (%s, %s)", list(enumerate(names)))
        for low in range(have, n, 200_000):
            high = min(n, low + 200_000)
            cur.execute(
                """
                INSERT INTO patents_patent (publication_number, application_number, country,
                  kind_code, patent_type, title, title_language, abstract, abstract_language,
                  claims, claim_count, main_ipc, ipc_codes, main_cpc, cpc_codes,
                  publication_date, legal_status, legal_status_raw, source_dataset,
                  source_file, created_at, updated_at)
                SELECT 'CN9' || lpad(g::text, 8, '0') || 'A', '', 'CN', 'A', 'invention',
                  r.title, 'zh', '', '', '', 1 + g %% 20, r.main_ipc, r.ipcs, '', '[]'::jsonb,
                  date '2025-01-01' + (g %% 730), 'unknown', '', 'bench-derived', '',
                  timestamptz '2025-01-01 09:00+08' + (g %% 730) * interval '1 day', now()
                FROM generate_series(%s, %s) g JOIN bench_real r ON r.rn = g %% %s
                """,
                [low, high - 1, len(rows)],
            )
            print(f"\rloaded {high:,}/{n:,}", end="", flush=True)
        cur.execute(
            """
            INSERT INTO patents_inventormention (patent_id, sequence, raw_name,
              normalized_name, affiliation, country, source_person_id)
            SELECT p.id, 0, nm.name, upper(nm.name), '', '', ''
            FROM patents_patent p JOIN bench_names nm ON nm.rn = p.id %% %s
            WHERE p.source_dataset = 'bench-derived' AND p.id %% 2 = 0
              AND NOT EXISTS (SELECT 1 FROM patents_inventormention m WHERE m.patent_id = p.id)
            """,
            [len(names)],
        )


def _load_orm(have: int, n: int) -> None:
    rows, names = real_rows(), real_names()
    created_field = Patent._meta.get_field("created_at")
    created_field.auto_now_add = False  # keep the spread-out load dates (bench only)
    start = timezone.make_aware(dt.datetime(2025, 1, 1, 9))
    next_id = have
    try:
        while next_id < n:
            batch = []
            for i in range(next_id, min(n, next_id + BATCH)):
                title, ipcs = rows[i % len(rows)]
                day = i % 730
                batch.append(
                    Patent(
                        publication_number=f"CN9{i:08d}A",
                        country="CN",
                        kind_code="A",
                        title=title,
                        title_language="zh",
                        main_ipc=ipcs[0],
                        ipc_codes=ipcs,
                        publication_date=dt.date(2025, 1, 1) + dt.timedelta(days=day),
                        claim_count=1 + i % 20,
                        source_dataset="bench-derived",
                        created_at=start + dt.timedelta(days=day),
                    )
                )
            created = Patent.objects.bulk_create(batch)
            InventorMention.objects.bulk_create(
                InventorMention(
                    patent=p,
                    sequence=0,
                    raw_name=names[j % len(names)],
                    normalized_name=names[j % len(names)].upper(),
                )
                for j, p in enumerate(created)
                if j % 2 == 0
            )
            next_id += len(batch)
            print(f"\rloaded {next_id:,}/{n:,}", end="", flush=True)
    finally:
        created_field.auto_now_add = True


def profile_figures(project, period) -> None:
    """Time and count the queries of every KPI's figure with its monthly series."""
    from django.test.utils import CaptureQueriesContext

    from reporting.selectors import _figure_from_definition, definitions_for

    rows = []
    for definition, target in definitions_for(project=project):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            figure = _figure_from_definition(
                definition, target, start=period.start, end=period.end, with_series=True
            )
            elapsed = time.perf_counter() - t0
        rows.append((elapsed, definition.code, len(queries), figure.value))
    for elapsed, code, n, value in sorted(rows, reverse=True):
        print(f"  {code:<26} {elapsed * 1000:7.0f} ms  {n:2d} queries  value {value}")
    print(f"  total {sum(r[0] for r in rows):.2f} s, {sum(r[2] for r in rows)} queries")


def fixtures() -> tuple[Project, object]:
    from django.contrib.auth import get_user_model

    project, _ = Project.objects.get_or_create(
        code="bench-all-lines",
        defaults=dict(
            name="山东省知识产权运营服务体系建设项目（基准测试）",
            programme_lines=list(ProgrammeLine.values),
            funder_name="国家知识产权局",
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2027, 12, 31),
        ),
    )
    user, created = get_user_model().objects.get_or_create(username="bench-funder")
    if created:
        user.set_password("bench-funder-password-1")
        user.save()
    user.groups.add(Group.objects.get_or_create(name="funder")[0])
    project.funders.add(user)
    return project, user


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=100_000)
    parser.add_argument("--renders", type=int, default=3)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument(
        "--profile-only", action="store_true", help="per-KPI query times only (iterating)"
    )
    args = parser.parse_args()

    print(f"database: {connection.vendor}; uptime: {os.popen('uptime').read().strip()}")
    load(args.patents)
    print(f"patents: {Patent.objects.count():,}; mentions: {InventorMention.objects.count():,}")
    from reporting_activity import activity_load

    made = activity_load()
    print("activity:", made or "already loaded")
    if made and connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    project, user = fixtures()
    period = period_get_or_create(year=2026)

    from reporting.models import Report
    from reporting.selectors import kpi_figures_for_report

    print("per KPI, with monthly series (slowest first):")
    profile_figures(project, period)
    t0 = time.perf_counter()
    kpi_figures_for_report(report=Report(project=project, period=period))
    print(f"annual figures with monthly series (queries only): {time.perf_counter() - t0:.2f} s")
    if args.profile_only:
        return

    times, cpu, pages = [], [], 0
    for _ in range(args.renders):
        t0, c0 = time.perf_counter(), time.process_time()
        pdf = report_build_file(project=project, period=period, fmt="pdf")
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        info = subprocess.run(["pdfinfo", fh.name], capture_output=True, text=True).stdout
        pages = next(
            (int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), 0
        )
    print(
        f"annual report PDF ({pages} pages, {len(pdf):,} bytes): "
        f"min {min(times):.2f} s, median {statistics.median(times):.2f} s "
        f"over {args.renders} renders (target <= 3 s); "
        f"CPU time of this process (excludes PostgreSQL) min {min(cpu):.2f} s"
    )

    # Production serves hashed static names from the manifest collectstatic writes.
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = "/reporting/?period=2026"
    assert client.get(url).status_code == 200
    for label, clear in (
        ("cold (cache cleared each request)", True),
        ("warm (5-min cache)", False),
    ):
        samples = []
        for _ in range(args.requests if not clear else max(10, args.requests // 3)):
            if clear:
                cache.clear()
            t0 = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        print(
            f"dashboard {label}: p50 {pct(samples, 0.5):.0f} ms, p95 {pct(samples, 0.95):.0f} ms"
            f" over {len(samples)} requests (target p95 <= 300 ms)"
        )


if __name__ == "__main__":
    main()
