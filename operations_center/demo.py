"""Demo records of operations_center, built on the real patents already loaded."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.utils import timezone

from patents.models import Organization, Patent
from portal.programme import ProgrammeLine

from .models import Event, EventOutcome, EventPatent, EventRegistration, IndustryChain
from .services.chains import chain_import
from .services.facts import navigation_facts_refresh
from .services.tagging import chain_tag

CHAINS_DIR = Path(__file__).resolve().parent / "fixtures" / "chains"


def chains_load() -> list[IndustryChain]:
    return [
        chain_import(data=json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(CHAINS_DIR.glob("*.json"))
    ]


def load_demo(*, stdout) -> None:
    for chain in chains_load():
        written = chain_tag(chain=chain, full=True)
        navigation_facts_refresh(chain=chain)
        stdout.write(f"operations_center: chain {chain.slug}: {written} tags\n")
    nev = IndustryChain.objects.get(slug="new-energy-vehicles")
    if Event.objects.exists():
        return
    now = timezone.now()
    # Demo events of the centre's programme (not records of real meetings); the
    # patents presented and the registrants are real records of the database.
    held = Event.objects.create(
        kind=Event.Kind.MATCHMAKING,
        title="新能源汽车产业专利供需对接会（演示）",
        starts_at=now - dt.timedelta(days=30),
        place="济南",
        organizer="山东省专利运营中心",
        status=Event.Status.HELD,
        chain=nev,
        programme_line=ProgrammeLine.INDUSTRY_OPERATIONS,
        registration_open=False,
    )
    Event.objects.create(
        kind=Event.Kind.ROADSHOW,
        title="高端装备专利路演（演示）",
        starts_at=now + dt.timedelta(days=21),
        place="青岛",
        organizer="山东省专利运营中心",
        chain=IndustryChain.objects.filter(slug="high-end-equipment").first(),
    )
    patents = list(Patent.objects.filter(chain_tags__chain=nev).distinct()[:5])
    for patent in patents:
        EventPatent.objects.get_or_create(event=held, patent=patent)
    orgs = list(Organization.objects.filter(patents__chain_tags__chain=nev).distinct()[:4])
    for i, org in enumerate(orgs):
        EventRegistration.objects.create(
            event=held,
            kind=org.kind if org.kind in EventRegistration.Kind.values else "other",
            organization_name=org.name,
            organization=org,
            contact_name="联系人",
            mobile=f"1380013800{i}",
            checked_in_at=held.starts_at,
        )
    if len(orgs) >= 2:
        outcome = EventOutcome.objects.create(
            event=held,
            kind=EventOutcome.Kind.INTENTION,
            parties=f"{orgs[0].name}、{orgs[1].name}",
            signed_on=held.starts_at.date(),
        )
        outcome.patents.set(patents[:1])
    stdout.write(f"operations_center: {Event.objects.count()} demo events\n")
