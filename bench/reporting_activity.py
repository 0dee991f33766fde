"""A year of recorded activity for the reporting benchmark, in the other apps' own models.

Everything is derived from real records and labelled as bench data:
- organizations: universities from the Ministry of Education list
  (``data/cn_universities``) and enterprises from the applicants of the Lens COVID-19
  patent set (``data/multi_jurisdiction_lens_covid``), marked "(bench-derived)";
- every push item, need, deal, listing, open licence and supply item refers to one of
  the bench-derived patents (real CN titles, see ``reporting_bench.py``) and carries its
  title; trainees are named like the inventor mentions of those patents;
- dates are spread over 1 January to 20 November 2026 (the bench runs in late November
  2026, so the annual figures are the year to date).

Volumes are the order of the funding guide's yearly targets (>= 1,000 pushes, >= 1,000
needs, >= 5,000 supply items, >= 1,000 trainees, > 50 open licences, >= 100 patents
transferred): a year's activity, not a toy. Records are created with ``bulk_create`` on
the owning apps' models (the services send e-mail, enqueue Celery tasks and stamp
``now()``, which a year of back-dated records cannot go through); the KPI selectors read
them exactly as they read records the services wrote.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from patents.models import InventorMention, Organization, Patent

REPO = Path(__file__).resolve().parent.parent
MARK = "【基准测试派生】"  # bench-derived, in every title this module writes
YEAR_START = dt.date(2026, 1, 1)
DAYS = 323  # 1 January .. 20 November 2026

PUSH_ITEMS = 6000  # of which every fifth is an open-licence item
NEEDS = 1200
EVENTS = 36  # of which 3 cancelled
DEALS = 420  # 1-3 patents each
LISTINGS = 300
DECLARATIONS = 240  # 30 of them withdrawn after licences were granted
OPEN_LICENCES = 150
SUPPLY_ITEMS = 5500
TRAINEES = 1300
SESSIONS = 26


def _when(i: int, n: int, hour: int = 10) -> dt.datetime:
    day = YEAR_START + dt.timedelta(days=(i * DAYS) // max(n, 1))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _university_names(limit: int) -> list[str]:
    path = REPO / "data" / "cn_universities" / "moe_higher_education_institutions_2017.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    shandong = [r["name"] for r in rows if "山东" in r["location_city"] or "济南" in r["name"]]
    others = [r["name"] for r in rows if r["name"] not in shandong]
    return (shandong + others)[:limit]


def _enterprise_names(limit: int) -> list[str]:
    path = REPO / "data" / "multi_jurisdiction_lens_covid" / "lens_covid_patents.csv.gz"
    names: dict[str, None] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for name in row["applicants"].split("|"):
                upper = name.upper()
                if any(k in upper for k in (" CO LTD", " INC", " GMBH", " CORP", "有限公司")):
                    names[name.strip()] = None
            if len(names) >= limit:
                break
    return list(names)[:limit]


def _organizations() -> tuple[list[Organization], list[Organization]]:
    def make(names, kind):
        orgs = []
        for name in names:
            label = f"{name}（基准测试派生）"
            org, _created = Organization.objects.get_or_create(
                normalized_name=label.upper(), defaults={"name": label, "kind": kind}
            )
            orgs.append(org)
        return orgs

    return (
        make(_university_names(40), Organization.Kind.UNIVERSITY),
        make(_enterprise_names(200), Organization.Kind.ENTERPRISE),
    )


def activity_present() -> bool:
    from operations_center.models import Event

    return Event.objects.filter(title__startswith=MARK).exists()


@transaction.atomic
def activity_load() -> dict[str, int]:
    """Create the year of activity once (idempotent); returns what was created."""
    from matching.models import Push, PushItem, TechNeed
    from openlicense.models import Declaration, OpenLicence, PatenteeConsent
    from operations_center.models import Event
    from talent.models import Course, Enrollment, SupplyItem, Trainee, TrainingSession
    from trading.models import Deal, DealPatent, Listing, ListingPatent, PartnerMarket

    if activity_present():
        return {}
    universities, enterprises = _organizations()
    patents = list(
        Patent.objects.filter(source_dataset="bench-derived")
        .order_by("pk")
        .values_list("pk", "title")[:20000]
    )
    if len(patents) < 20000:
        raise SystemExit("load the bench-derived patents first (reporting_bench.py)")
    cursor = iter(patents)
    lines = ("industry_operations", "trading_hub", "talent")
    made: dict[str, int] = {}

    # Pushes: ten items a push, one push an enterprise at a time; every fifth item an
    # open-licence declaration's item.
    declarations = []
    for i in range(DECLARATIONS):
        pk, title = next(cursor)
        declarations.append(
            Declaration(
                patent_id=pk,
                status=Declaration.Status.WITHDRAWN if i % 8 == 0 else Declaration.Status.ANNOUNCED,
                fee_lump_sum=Decimal(20000 + 1000 * (i % 30)),
                payment_method=Declaration.PaymentMethod.ONE_OFF,
                term_years=3,
                declared_on=_when(i, DECLARATIONS).date() - dt.timedelta(days=30),
                announced_on=_when(i, DECLARATIONS).date() - dt.timedelta(days=10),
                withdrawn_on=_when(i, DECLARATIONS).date() + dt.timedelta(days=60)
                if i % 8 == 0
                else None,
                withdrawal_reason=f"{MARK}专利权人书面撤回" if i % 8 == 0 else "",
                programme_line=lines[i % 2],
            )
        )
    declarations = Declaration.objects.bulk_create(declarations)
    PatenteeConsent.objects.bulk_create(
        PatenteeConsent(
            declaration=d,
            organization=universities[i % len(universities)],
            consented=True,
            consented_on=d.declared_on,
        )
        for i, d in enumerate(declarations)
    )
    made["open-licence declarations"] = len(declarations)

    pushes = []
    n_pushes = PUSH_ITEMS // 10
    for i in range(n_pushes):
        pushes.append(
            Push(
                organization=enterprises[i % len(enterprises)],
                channel=Push.Channel.EMAIL,
                programme_line=lines[i % 2],
                status=Push.Status.SENT if i % 25 else Push.Status.FAILED,
                sent_at=_when(i, n_pushes, 9 + i % 8),
            )
        )
    pushes = Push.objects.bulk_create(pushes)
    items = []
    for i, push in enumerate(pushes):
        for j in range(10):
            if j % 5 == 4:
                d = declarations[(i * 2 + j) % len(declarations)]
                kind, patent_id, object_id = "open_licence", d.patent_id, d.pk
                key = f"open_licence:{d.pk}"
                title = f"{MARK}开放许可 {d.patent_id}"
            else:
                pk, title = next(cursor)
                kind, patent_id, object_id, key = "patent", pk, None, f"patent:{pk}"
                title = f"{MARK}{title}"
            items.append(
                PushItem(
                    push=push,
                    organization_id=push.organization_id,
                    kind=kind,
                    patent_id=patent_id,
                    object_id=object_id,
                    title=title[:500],
                    dedup_key=key,
                )
            )
    # The same open-licence item never reaches the same enterprise twice.
    seen, unique = set(), []
    for item in items:
        if (item.organization_id, item.dedup_key) not in seen:
            seen.add((item.organization_id, item.dedup_key))
            unique.append(item)
    PushItem.objects.bulk_create(unique, batch_size=2000)
    made["push items"] = len(unique)

    needs = []
    for i in range(NEEDS):
        _pk, title = next(cursor)
        needs.append(
            TechNeed(
                organization=enterprises[i % len(enterprises)],
                title=f"{MARK}寻求{title}"[:200],
                description=f"{MARK}据专利题名派生的技术需求：{title}",
                industry="other_fields",
                cooperation_mode="licence",
                contact_name="联系人",
                contact_mobile="13800000000",
                status=TechNeed.Status.PUBLISHED if i % 10 else TechNeed.Status.SUBMITTED,
                published_at=_when(i, NEEDS) if i % 10 else None,
                programme_line=lines[i % 2],
                source=TechNeed.Source.IMPORT,
            )
        )
    TechNeed.objects.bulk_create(needs, batch_size=2000)
    made["technology needs"] = NEEDS

    kinds = ("matchmaking", "roadshow", "training", "auction")
    event_titles = ("专利技术供需对接会", "高校专利路演", "知识产权运营培训", "专利拍卖会")
    events = [
        Event(
            kind=kinds[i % 4],
            title=f"{MARK}{event_titles[i % 4]}第{i + 1}场",
            starts_at=_when(i, EVENTS, 14),
            place="济南",
            organizer="山东省知识产权运营中心",
            programme_line=lines[i % 3],
            status="cancelled" if i % 12 == 5 else "held",
        )
        for i in range(EVENTS)
    ]
    Event.objects.bulk_create(events)
    made["events"] = EVENTS

    deal_kinds = ("transfer", "licence_ordinary", "licence_exclusive", "equity", "open_licence")
    deals, deal_patents = [], []
    for i in range(DEALS):
        assignor = (
            universities[i % len(universities)]
            if i % 5
            else enterprises[(i + 7) % len(enterprises)]
        )
        deals.append(
            Deal(
                kind=deal_kinds[i % len(deal_kinds)],
                status="recorded" if i % 4 == 0 else ("cancelled" if i % 17 == 0 else "signed"),
                title=f"{MARK}合同{i + 1}",
                assignor=assignor,
                assignee=enterprises[i % len(enterprises)],
                amount=Decimal(50_000 + 37_000 * (i % 40)),
                signed_on=_when(i, DEALS).date(),
                contract_number=f"BENCH-HT-2026-{i + 1:04d}",
                recordal_number=f"BENCH-BA-2026-{i + 1:04d}" if i % 4 == 0 else "",
                programme_line=lines[i % 3],
            )
        )
    deals = Deal.objects.bulk_create(deals)
    for i, deal in enumerate(deals):
        for _k in range(1 + i % 3):
            deal_patents.append(DealPatent(deal=deal, patent_id=next(cursor)[0]))
    DealPatent.objects.bulk_create(deal_patents, batch_size=2000)
    made["deals"], made["deal patents"] = len(deals), len(deal_patents)

    listings = []
    for i in range(LISTINGS):
        _pk, title = next(cursor)
        listings.append(
            Listing(
                title=f"{MARK}{title}"[:255],
                subject="patent",
                purpose=("transfer", "licence")[i % 2],
                holder=universities[i % len(universities)],
                asking_price=Decimal(300_000 + 10_000 * (i % 90)),
                status="listed",
                listed_at=_when(i, LISTINGS),
                programme_line="trading_hub",
            )
        )
    listings = Listing.objects.bulk_create(listings)
    ListingPatent.objects.bulk_create(
        ListingPatent(listing=li, patent_id=next(cursor)[0]) for li in listings
    )
    made["listings"] = LISTINGS
    for code, name in (
        ("bench-qingdao", "青岛"),
        ("bench-zhengzhou", "郑州"),
        ("bench-xian", "西安"),
    ):
        PartnerMarket.objects.get_or_create(
            code=code,
            defaults={
                "name": f"{MARK}{name}技术交易市场",
                "last_import_at": _when(1, 2),
            },
        )

    licences = []
    open_deals = [d for d in deals if d.kind == "open_licence" and d.status != "cancelled"]
    for i in range(OPEN_LICENCES):
        d = declarations[i % len(declarations)]
        paid = _when(i, OPEN_LICENCES).date()
        licences.append(
            OpenLicence(
                declaration=d,
                licensee=enterprises[(i * 3) % len(enterprises)],
                status="filed" if i % 3 == 0 else ("notified" if i % 10 == 7 else "in_force"),
                notice_sent_on=paid - dt.timedelta(days=5),
                payment_amount=d.fee_lump_sum if i % 10 != 7 else None,
                paid_on=paid if i % 10 != 7 else None,
                deal=open_deals[i] if i < len(open_deals) and i % 10 != 7 else None,
                programme_line=d.programme_line,
            )
        )
    OpenLicence.objects.bulk_create(licences)
    made["open licences"] = OPEN_LICENCES

    supply = []
    for i in range(SUPPLY_ITEMS):
        pk, title = next(cursor)
        supply.append(
            SupplyItem(
                patent_id=pk,
                holder=universities[i % len(universities)],
                kind=("transfer", "licence", "open_licence")[i % 3],
                title=f"{MARK}{title}"[:255],
                status="published" if i % 20 else "draft",
                published_at=_when(i, SUPPLY_ITEMS) if i % 20 else None,
            )
        )
    SupplyItem.objects.bulk_create(supply, batch_size=2000)
    made["supply items"] = SUPPLY_ITEMS

    course, _created = Course.objects.get_or_create(
        title=f"{MARK}技术经理人实务", defaults={"hours": 24, "pass_mark": 60}
    )
    sessions = TrainingSession.objects.bulk_create(
        TrainingSession(
            course=course,
            starts_on=_when(i, SESSIONS).date(),
            ends_on=_when(i, SESSIONS).date() + dt.timedelta(days=2),
            place="济南",
        )
        for i in range(SESSIONS)
    )
    names = list(
        InventorMention.objects.filter(patent__source_dataset="bench-derived")
        .order_by("pk")
        .values_list("raw_name", flat=True)[:TRAINEES]
    )
    trainees = Trainee.objects.bulk_create(
        Trainee(
            name=names[i % len(names)] if names else f"学员{i}",
            organization_name=enterprises[i % len(enterprises)].name,
        )
        for i in range(TRAINEES)
    )
    enrollments = [
        Enrollment(session=sessions[i % SESSIONS], trainee=t, attended=i % 9 != 0)
        for i, t in enumerate(trainees)
    ]
    # A tenth of the trainees come back for a second session: one person, two rows.
    enrollments += [
        Enrollment(session=sessions[(i + 1) % SESSIONS], trainee=trainees[i], attended=True)
        for i in range(0, TRAINEES, 10)
    ]
    Enrollment.objects.bulk_create(enrollments, batch_size=2000)
    made["trainees"], made["enrollments"] = len(trainees), len(enrollments)
    return made
