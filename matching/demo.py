"""Demo records of matching (called by ``manage.py load_demo`` after patents and
operations_center).

The need texts are **real text, re-used as demonstration needs**: the title and
abstract of the real CN G06F publications in
``data/cn_patents_zh/cn_g06f_patents_with_abstracts.csv`` that carry an
abstract (an enterprise asking for the technology such a patent describes).
The records say so in their description. The enterprise is a real one among the loaded
organizations (a Shandong enterprise first, see ``demo_enterprise``); contact details are the
demonstration placeholders the need form requires. Each need is reviewed
through the services (published or left awaiting review), tagged (predicted
IPC, keywords, a vector when embeddings are on) and one published need gets a
push of its best matches through the logging channel, so the push funnel and
``match_needs`` / ``predict_ipc`` have something to show.

Idempotent: runs once (recognised by the demo marker in the description).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from patents.models import Organization
from portal.programme import ProgrammeLine

from .matcher import match_need
from .models import CooperationMode, Industry, Push, PushItem, TechNeed
from .services import PushItemSpec, need_review, need_submit, need_tag, push_create

DEMO_NOTE = "【演示数据：需求文本取自真实专利摘要】"
SOURCE = Path(settings.BASE_DIR) / "data" / "cn_patents_zh" / "cn_g06f_patents_with_abstracts.csv"
DEMO_NEEDS = 6
PUBLISHED = 4  # the rest stay awaiting review


def demo_need_rows(limit: int = DEMO_NEEDS) -> list[dict]:
    with SOURCE.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["abstract_zh"].strip()]
    return rows[:limit]


def demo_needs_jsonl(path: Path) -> int:
    """Write the demo needs as ``{"id", "text"}`` lines, the input of both batch commands."""
    needs = TechNeed.objects.filter(description__startswith=DEMO_NOTE).order_by("pk")
    with path.open("w", encoding="utf-8") as handle:
        for need in needs:
            handle.write(json.dumps({"id": need.pk, "text": need.text}, ensure_ascii=False) + "\n")
    return needs.count()


def demo_enterprise() -> Organization | None:
    """The real enterprise the demo needs are filed under: the needs are Chinese
    texts, so a Shandong enterprise if the data has one, else a Chinese one, and
    only then any enterprise (the first by id used to be a foreign multinational)."""
    enterprises = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE).order_by("id")
    return (
        enterprises.filter(region__code__startswith="37").first()
        or enterprises.filter(country="CN").first()
        or enterprises.first()
    )


def load_demo(*, stdout) -> None:
    if TechNeed.objects.filter(description__startswith=DEMO_NOTE).exists():
        stdout.write("matching: demo already loaded")
        return
    enterprise = demo_enterprise()
    if enterprise is None:
        stdout.write("matching: skipped - no enterprise among the loaded organizations")
        return
    reviewer = get_user_model().objects.filter(username="demo").first()
    needs = []
    for index, row in enumerate(demo_need_rows()):
        need = need_submit(
            organization=enterprise,
            fields={
                "title": f"寻求技术：{row['title_zh']}"[:200],
                "description": f"{DEMO_NOTE}{row['abstract_zh'].strip()}",
                "industry": Industry.ELECTRICAL if index % 2 else Industry.INSTRUMENTS,
                "cooperation_mode": CooperationMode.LICENCE
                if index % 2
                else CooperationMode.TRANSFER,
                "contact_name": "演示联系人",
                "contact_mobile": "13800000000",
                "programme_line": ProgrammeLine.INDUSTRY_OPERATIONS,
            },
            created_by=reviewer,
            source=TechNeed.Source.STAFF,
        )
        # Tagging normally runs after commit in Celery; done inline so the demo is complete.
        need_tag(need_id=need.pk)
        if index < PUBLISHED and reviewer is not None:
            need_review(need=need, decision="approve", reviewer=reviewer)
        needs.append(need)
    published = [n for n in needs if n.status == TechNeed.Status.PUBLISHED]
    pushed = 0
    if published:
        need = published[0]
        matches = match_need(need=need, top=3)
        if matches:
            push = push_create(
                organization=enterprise,
                items=[
                    PushItemSpec(kind=PushItem.Kind.PATENT, patent_id=m.patent_id, title=m.title)
                    for m in matches
                ],
                channel=Push.Channel.LOG,
                programme_line=need.programme_line,
                need=need,
                created_by=reviewer,
            )
            pushed = push.items.count()
    stdout.write(
        f"matching: {len(needs)} demo needs for {enterprise.name} "
        f"({len(published)} published), one push of {pushed} items"
    )
