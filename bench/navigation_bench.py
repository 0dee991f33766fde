"""Navigation benchmark: tag N patents against a 50-node chain, refresh the
aggregates, then time the navigation pages (p50 / p95 over repeated requests).

Load data is derived from real records and says so: every generated patent
copies the title and examiner IPC subclasses of one of the 7,798 real CN
patents in data/cn_patents_zh (cycled), with a generated application date,
type and legal status; applicants are the 2,631 real institutions of the
Ministry of Education list (data/cn_universities), placed in their real city.
Rows carry ``source_dataset = "bench-derived"`` and are deleted with --cleanup.

PostgreSQL only (the production mode), e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_navigation \\
        .venv/bin/python bench/navigation_bench.py --patents 1000000
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Pages are timed without collectstatic: plain static URLs, as in the tests.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

SOURCE = "bench-derived"
TITLES = REPO / "data" / "cn_patents_zh" / "cn_patent_titles_ipc_subclasses.csv"
UNIVERSITIES = REPO / "data" / "cn_universities" / "moe_higher_education_institutions_2017.csv"
DIVISIONS = Path(
    os.environ.get(
        "CN_ADMIN_DIVISIONS", REPO.parent.parent / "shared" / "data" / "cn_admin_divisions"
    )
)


def log(message: str) -> None:
    print(message, flush=True)


def ensure_regions() -> None:
    from patents.models import Region

    if Region.objects.filter(level=2).count() > 300:
        return
    provinces = list(csv.DictReader((DIVISIONS / "provinces.csv").open(encoding="utf-8")))
    cities = list(csv.DictReader((DIVISIONS / "cities.csv").open(encoding="utf-8")))
    for row in provinces:
        Region.objects.get_or_create(
            code=row["code"] + "0000",
            defaults={"name": row["name"], "short_name": row["name"][:2], "level": 1},
        )
    for row in cities:
        name = row["name"]
        if name == "市辖区":  # municipalities: the city is the province
            name = Region.objects.get(code=row["provinceCode"] + "0000").name
        Region.objects.get_or_create(
            code=row["code"] + "00",
            defaults={
                "name": name,
                "short_name": name.rstrip("市"),
                "level": 2,
                "parent_id": row["provinceCode"] + "0000",
            },
        )


def ensure_organizations() -> list[int]:
    from patents.models import Organization, Region

    city_by_name = {}
    for code, name in Region.objects.filter(level=2).values_list("code", "name"):
        city_by_name.setdefault(name, code)
    province_city = {
        p: c for c, p in Region.objects.filter(level=2).values_list("code", "parent_id")
    }
    orgs = []
    for row in csv.DictReader(UNIVERSITIES.open(encoding="utf-8")):
        region = city_by_name.get(row["location_city"]) or province_city.get(
            (row["moe_code"][4:6] or "00") + "0000"
        )
        orgs.append(
            Organization(
                name=row["name"],
                normalized_name=f"BENCH:{row['name']}",
                kind=Organization.Kind.UNIVERSITY,
                country="CN",
                region_id=region,
            )
        )
    Organization.objects.bulk_create(orgs, ignore_conflicts=True, batch_size=1000)
    return list(
        Organization.objects.filter(normalized_name__startswith="BENCH:").values_list(
            "id", flat=True
        )
    )


def generate_patents(n: int, org_ids: list[int]) -> None:
    rows = list(csv.DictReader(TITLES.open(encoding="utf-8")))
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_src")
        cur.execute(
            "CREATE TEMP TABLE bench_src (idx int primary key, title text, subclasses text[])"
        )
        cur.executemany(
            "INSERT INTO bench_src VALUES (%s, %s, %s)",
            [(i, r["title_zh"], r["ipc_subclasses"].split("|")) for i, r in enumerate(rows)],
        )
        cur.execute("DROP TABLE IF EXISTS bench_orgs")
        cur.execute("CREATE TEMP TABLE bench_orgs (idx int primary key, org_id bigint)")
        cur.executemany("INSERT INTO bench_orgs VALUES (%s, %s)", list(enumerate(org_ids)))
        started = time.perf_counter()
        cur.execute(
            """
            INSERT INTO patents_patent (publication_number, application_number, country, kind_code,
                patent_type, title, title_language, abstract, abstract_language, claims, main_ipc,
                ipc_codes, main_cpc, cpc_codes, application_date, legal_status, legal_status_raw,
                source_dataset, source_file, created_at, updated_at)
            SELECT 'BENCH' || g, '', CASE WHEN g %% 10 = 0 THEN 'US' ELSE 'CN' END, 'A',
                (ARRAY['invention','invention','utility_model','design'])[1 + g %% 4],
                s.title, 'zh', '', '', '', s.subclasses[1], to_jsonb(s.subclasses), '', '[]'::jsonb,
                DATE '2005-01-01' + ((g::bigint * 7919) %% 7300)::int,
                (ARRAY['granted','pending','lapsed','granted','withdrawn'])[1 + g %% 5], '',
                %s, '', now(), now()
            FROM generate_series(1, %s) g JOIN bench_src s ON s.idx = g %% %s
            """,
            [SOURCE, n, len(rows)],
        )
        cur.execute(
            """
            INSERT INTO patents_patentclassification (patent_id, scheme, code, subclass, is_main)
            SELECT p.id, 'ipc', c.code, c.code, c.ord = 1
            FROM patents_patent p
            CROSS JOIN LATERAL
                jsonb_array_elements_text(p.ipc_codes) WITH ORDINALITY AS c(code, ord)
            WHERE p.source_dataset = %s
            ON CONFLICT DO NOTHING
            """,
            [SOURCE],
        )
        cur.execute(
            """
            INSERT INTO patents_patentapplicant
                (patent_id, organization_id, sequence, role, raw_name)
            SELECT p.id, o.org_id, 0, 'applicant', ''
            FROM patents_patent p JOIN bench_orgs o ON o.idx = (p.id * 31) %% %s
            WHERE p.source_dataset = %s
            """,
            [len(org_ids), SOURCE],
        )
        cur.execute(
            """
            INSERT INTO patents_patentapplicant
                (patent_id, organization_id, sequence, role, raw_name)
            SELECT p.id, o.org_id, 1, 'applicant', ''
            FROM patents_patent p JOIN bench_orgs o ON o.idx = (p.id * 17 + 5) %% %s
            WHERE p.source_dataset = %s AND p.id %% 10 = 0
                AND (p.id * 17 + 5) %% %s <> (p.id * 31) %% %s
            """,
            [len(org_ids), SOURCE, len(org_ids), len(org_ids)],
        )
        cur.execute("ANALYZE")
    log(f"generated {n} patents in {time.perf_counter() - started:.1f}s")


def bench_chain_definition() -> dict:
    """50 nodes: the 14 level-2 industries of SEI 1, 2 and 5 through the concordance,
    plus the 36 most frequent subclasses of the real dataset (titles from the IPC)."""
    from collections import Counter

    from operations_center.services.concordance import sei_industry_names

    names = sei_industry_names()
    industries = sorted(c for c in names if "." in c and c.split(".")[0] in {"1", "2", "5"})
    counts = Counter()
    for row in csv.DictReader(TITLES.open(encoding="utf-8")):
        counts.update(row["ipc_subclasses"].split("|"))
    subclasses = [s for s, _n in counts.most_common(36)]
    nodes = [
        {
            "key": f"sei-{code.replace('.', '-')}",
            "name": names[code],
            "stage": "midstream",
            "sei_industry_codes": [code],
            "keywords_zh": "智能|新能源|电动|芯片|机器人",
        }
        for code in industries
    ]
    nodes += [
        {
            "key": f"ipc-{s.lower()}",
            "name": s,
            "stage": "upstream",
            "ipc_codes": [s],
            "keywords_zh": "系统&方法" if i % 3 == 0 else "",
            "match_mode": "code_and_keyword" if i % 3 == 0 else "any",
        }
        for i, s in enumerate(subclasses)
    ]
    return {"slug": "bench-50", "name": "基准测试产业链（50节点）", "nodes": nodes}


def time_pages(chain, repeats: int) -> dict[str, tuple[float, float]]:
    from portal.roles import Role
    from tests.factories import UserFactory

    user = UserFactory(username="bench-staff", roles=[Role.STAFF])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    node = chain.nodes.order_by("id").first()
    base = reverse("operations_center:chain", args=[chain.slug])
    pages = {
        "landscape (chain, Shandong)": (base, {"region": "370000"}),
        "landscape (node, Shandong)": (base, {"region": "370000", "node": node.key}),
        "landscape (city Jinan)": (base, {"region": "370100"}),
        "drill-through list": (
            reverse("operations_center:patents", args=[chain.slug]),
            {"region": "370000", "node": node.key, "year_from": 2015, "year_to": 2024},
        ),
    }
    results = {}
    for name, (url, params) in pages.items():
        cache.clear()
        started = time.perf_counter()
        client.get(url, params)  # cold: computed from the aggregates, then cached
        cold = time.perf_counter() - started
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        results[name] = (statistics.median(timings), p95)
        log(
            f"{name}: cold {cold * 1000:.0f} ms; then p50 {results[name][0] * 1000:.0f} ms,"
            f" p95 {p95 * 1000:.0f} ms over {repeats} requests"
        )
    user.delete()
    return results


def cleanup() -> None:
    from operations_center.models import IndustryChain
    from patents.models import Organization

    chain = IndustryChain.objects.filter(slug="bench-50").first()
    if chain is not None:
        with connection.cursor() as cur:
            for table in (
                "operations_center_patentnodetag",
                "operations_center_nodefact",
                "operations_center_nodeipcfact",
                "operations_center_nodeapplicantfact",
                "operations_center_chainnodeclosure",
            ):
                cur.execute(f"DELETE FROM {table} WHERE chain_id = %s", [chain.pk])
        chain.delete()
    bench = "SELECT id FROM patents_patent WHERE source_dataset = %s"
    with connection.cursor() as cur:
        # Raw deletes (the ORM would cascade row by row); children first.
        for table in (
            "operations_center_patentnodetag",
            "operations_center_patentnavdim",
            "patents_patentclassification",
            "patents_patentapplicant",
            "patents_inventormention",
        ):
            cur.execute(f"DELETE FROM {table} WHERE patent_id IN ({bench})", [SOURCE])
        cur.execute("DELETE FROM patents_patent WHERE source_dataset = %s", [SOURCE])
    Organization.objects.filter(normalized_name__startswith="BENCH:").delete()
    log("bench rows deleted")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep existing bench patents")
    parser.add_argument("--cleanup", action="store_true", help="delete bench rows and exit")
    parser.add_argument(
        "--generate-only", action="store_true", help="generate the bench patents and exit"
    )
    parser.add_argument(
        "--skip-pages", action="store_true", help="stop after tagging and the aggregate refresh"
    )
    parser.add_argument(
        "--pages-only", action="store_true", help="time the pages of the existing bench chain"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL.")
    if args.cleanup:
        cleanup()
        return
    from operations_center.services.chains import chain_import
    from operations_center.services.facts import navigation_facts_refresh
    from operations_center.services.tagging import chain_tag
    from patents.models import Patent

    if args.pages_only:
        from operations_center.models import IndustryChain

        time_pages(IndustryChain.objects.get(slug="bench-50"), args.repeats)
        return
    ensure_regions()
    existing = Patent.objects.filter(source_dataset=SOURCE).count()
    if not (args.reuse and existing):
        cleanup()
        org_ids = ensure_organizations()
        generate_patents(args.patents, org_ids)
    if args.generate_only:
        return
    total = Patent.objects.count()
    log(f"patents in database: {total}")
    with transaction.atomic():
        chain = chain_import(data=bench_chain_definition())
    log(f"chain: {chain.nodes.count()} nodes")
    started = time.perf_counter()
    written = chain_tag(chain=chain, full=True)
    tagging = time.perf_counter() - started
    log(f"tagging (full): {written} tags in {tagging:.1f}s")
    started = time.perf_counter()
    written_again = chain_tag(chain=chain)
    log(
        f"tagging (incremental, nothing changed): {written_again} tags"
        f" in {time.perf_counter() - started:.1f}s"
    )
    started = time.perf_counter()
    navigation_facts_refresh(chain=chain)
    log(f"aggregate refresh: {time.perf_counter() - started:.1f}s")
    if not args.skip_pages:
        time_pages(chain, args.repeats)


if __name__ == "__main__":
    main()
