"""Benchmark: KPI selectors and the data-sharing feed over many deals.

Load data is derived from real records: patents are the CN publications and
titles of data/cn_patents_zh (each granted for the purpose of the benchmark),
assignors are the real universities of data/cn_universities; assignees are
placeholder enterprises named "企业<n>" (no real enterprise list ships). Deals are
bulk-inserted (not through ``deal_create``) so the set-up stays quick; the
benchmark times the reads.

Runs in a throw-away SQLite database unless BENCH_DATABASE_URL is given.

    .venv/bin/python bench/trading_kpi.py --deals 20000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=2000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from patents.models import LegalStatus, Organization, Patent
    from trading.api.feed import FeedDealSerializer
    from trading.models import Deal, DealPatent
    from trading.selectors import deal_patents_in_period, deals_in_period

    patents_csv = REPO / "data/cn_patents_zh/cn_patent_titles_ipc_subclasses.csv"
    rows = list(csv.DictReader(patents_csv.read_text(encoding="utf-8").splitlines()))
    patents = Patent.objects.bulk_create(
        [
            Patent(
                publication_number=r["publication_numbers"].split("|")[0],
                country="CN",
                title=r["title_zh"],
                main_ipc=r["ipc_subclasses"].split("|")[0],
                legal_status=LegalStatus.GRANTED,
                application_date=dt.date(2020, 1, 1),
                source_dataset="bench",
            )
            for r in rows
        ],
        ignore_conflicts=True,
    )
    patents = list(Patent.objects.all())
    unis_csv = REPO / "data/cn_universities/moe_higher_education_institutions_2017.csv"
    unis = [r["name"] for r in csv.DictReader(unis_csv.read_text(encoding="utf-8").splitlines())][
        :500
    ]
    Organization.objects.bulk_create(
        [Organization(name=n, normalized_name=n, kind="university") for n in unis]
        + [
            Organization(name=f"企业{i}", normalized_name=f"企业{i}", kind="enterprise")
            for i in range(500)
        ]
    )
    orgs_u = list(Organization.objects.filter(kind="university"))
    orgs_e = list(Organization.objects.filter(kind="enterprise"))
    rng = random.Random(7)
    kinds = [k for k, _ in Deal.Kind.choices]
    start = time.perf_counter()
    deals = Deal.objects.bulk_create(
        [
            Deal(
                kind=rng.choice(kinds),
                status=rng.choice(["signed", "recorded", "cancelled", "draft"]),
                assignor=rng.choice(orgs_u),
                assignee=rng.choice(orgs_e),
                amount=rng.randint(1, 500) * 10000,
                signed_on=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1000)),
            )
            for _ in range(args.deals)
        ],
        batch_size=2000,
    )
    deals = list(Deal.objects.values_list("pk", flat=True))
    DealPatent.objects.bulk_create(
        [DealPatent(deal_id=d, patent=p) for d in deals for p in rng.sample(patents, 2)],
        batch_size=5000,
    )
    print(
        f"set-up: {args.deals} deals, {len(patents)} patents in {time.perf_counter() - start:.1f}s"
    )

    period = {"start": dt.date(2025, 1, 1), "end": dt.date(2026, 1, 1)}

    def timed(label, fn, repeat=5):
        best = min(_time(fn) for _ in range(repeat))
        print(f"{label}: {best * 1000:.1f} ms (best of {repeat})")

    def _time(fn):
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t

    timed("deals_in_period count", lambda: deals_in_period(**period).count())
    timed(
        "deal_patents_in_period university->enterprise count",
        lambda: deal_patents_in_period(
            **period, assignor_kinds=["university", "institute"], assignee_kinds=["enterprise"]
        ).count(),
    )
    timed(
        "deals_in_period amount sum",
        lambda: sum(deals_in_period(**period).values_list("amount", flat=True)),
    )
    qs = (
        Deal.objects.exclude(status="draft")
        .select_related("assignor", "assignee")
        .prefetch_related("deal_patents__patent")
        .order_by("updated_at", "id")
    )
    timed("feed page of 100 deals serialised", lambda: FeedDealSerializer(qs[:100], many=True).data)


if __name__ == "__main__":
    main()
