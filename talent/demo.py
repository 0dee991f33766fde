"""Demo data of talent, from real records.

Talents are resolved from the inventor mentions already loaded. The CN demo
datasets carry no inventors, so when the database has none this loads the real
PatentsView NVIDIA sample (data/talent/nvidia_inventor_sample.csv: patents,
CPC codes, inventors) first, then resolves, publishes supply items for a few of
its patents and schedules one training course.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.db import transaction

from patents.models import (
    InventorMention,
    LegalStatus,
    Organization,
    Patent,
    PatentApplicant,
    PatentType,
)
from patents.normalize import normalize_organization_name, normalize_person_name
from patents.search import search_index_patents

SAMPLE = Path(settings.BASE_DIR) / "data" / "talent" / "nvidia_inventor_sample.csv"


@transaction.atomic
def load_nvidia_sample(*, path: Path = SAMPLE, limit: int | None = None) -> int:
    """Patents, applicant and inventor mentions of the real NVIDIA sample; idempotent."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_patent = defaultdict(list)
    for r in rows:
        by_patent[r["patent_number"]].append(r)
    numbers = list(by_patent)[:limit] if limit else list(by_patent)
    org, _ = Organization.objects.get_or_create(
        normalized_name=normalize_organization_name("NVIDIA CORPORATION"),
        defaults={
            "name": "NVIDIA CORPORATION",
            "kind": Organization.Kind.ENTERPRISE,
            "country": "US",
        },
    )
    created_ids: list[int] = []
    for number in numbers:
        first = by_patent[number][0]
        cpc = [c for c in first["ipc"].split(";") if c]
        patent, new = Patent.objects.get_or_create(
            publication_number=f"US{number}{first['kind']}",
            defaults=dict(
                country="US",
                kind_code=first["kind"],
                patent_type=PatentType.INVENTION,
                title=first["title"],
                title_language="en",
                main_cpc=cpc[0] if cpc else "",
                cpc_codes=cpc,
                publication_date=dt.date.fromisoformat(first["patent_date"]),
                grant_date=dt.date.fromisoformat(first["patent_date"]),
                legal_status=LegalStatus.GRANTED,
                source_dataset="patentsview_nvidia",
                source_file=path.name,
            ),
        )
        if not new:
            continue
        created_ids.append(patent.pk)
        PatentApplicant.objects.create(
            patent=patent,
            organization=org,
            sequence=0,
            role=PatentApplicant.Role.ASSIGNEE,
            raw_name=org.name,
        )
        InventorMention.objects.bulk_create(
            [
                InventorMention(
                    patent=patent,
                    sequence=int(r["mention_id"].rsplit("-", 1)[1]),
                    raw_name=f"{r['name_first']} {r['name_last']}".strip(),
                    normalized_name=normalize_person_name(f"{r['name_first']} {r['name_last']}"),
                    country="US",
                    source_person_id=r["pv_inventor_id"],
                )
                for r in by_patent[number]
            ]
        )
    # This loader writes patents itself rather than through the importer, so it
    # indexes them itself: expert finding searches these patents.
    search_index_patents(patent_ids=created_ids)
    return len(created_ids)


def load_demo(*, stdout) -> None:
    from .models import Course, SupplyItem, Talent, TalentLink, TrainingSession
    from .services import supply_item_create, supply_items_sync
    from .tasks import enqueue_resolution

    if not InventorMention.objects.exists():
        n = load_nvidia_sample()
        stdout.write(f"talent: loaded {n} real NVIDIA patents with their inventors")
        # This loader writes patents itself, not through the importer: queue the same
        # resolution an import queues (eager in embedded mode, a worker otherwise).
        enqueue_resolution()
    # Every import of load_demo already queued the resolution of its inventor mentions.
    stdout.write(
        f"talent: {Talent.objects.count()} talents from {TalentLink.objects.count()} of "
        f"{InventorMention.objects.count()} inventor mentions resolved after import"
    )
    for patent in (
        Patent.objects.filter(inventor_mentions__isnull=False)
        .distinct()
        .order_by("-publication_date")[:30]
    ):
        supply_item_create(patent=patent, kind=SupplyItem.Kind.LICENCE)
    # The trading / open-licence demo loaders ran before any talent existed: feed their
    # listings and declarations again now that the inventors are resolved.
    feed = supply_items_sync()
    stdout.write(f"talent: {feed.published} supply items fed from listings and open licences")
    course, _ = Course.objects.get_or_create(
        title="Technology transfer brokerage: practice and law",
        defaults={"audience": "Technology brokers and managers", "hours": 24, "pass_mark": 60},
    )
    TrainingSession.objects.get_or_create(
        course=course,
        starts_on=dt.date(2026, 3, 10),
        defaults={"ends_on": dt.date(2026, 3, 12), "place": "济南"},
    )
    stdout.write("talent: supply items and a training course ready")
