"""Resolve inventor mentions into talents: full runs and daily increments.

Labels given to the engine: ``t<id>`` for a mention already linked to talent
<id> (seeded as is) — so an increment only adds to existing people — and the
engine's own labels for people it opens. Staff pins are seeded in every run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from patents.models import InventorMention, LegalStatus, PatentType

from ..disambiguation.engine import (
    REVIEW_BAND,
    MentionRecord,
    Resolver,
    neighbour_blocks_among,
)
from ..disambiguation.frequencies import NameFrequencies
from ..disambiguation.names import parse_name, person_key
from ..disambiguation.records import org_key
from ..models import Talent, TalentConstraint, TalentLink

# A "high-yield talent": at least this many patents, and either this many granted
# inventions or this many patents in the last RECENT_YEARS years.
HIGH_YIELD_MIN_PATENTS = 10
HIGH_YIELD_MIN_GRANTED = 3
HIGH_YIELD_MIN_RECENT = 3
RECENT_YEARS = 3
BATCH = 2000


@dataclass
class ResolutionStats:
    mentions: int = 0
    linked_to_existing: int = 0
    new_talents: int = 0
    pinned: int = 0
    to_review: int = 0


def _mention_records(mentions: Iterable[InventorMention]) -> list[MentionRecord]:
    """Records with the patent's context; ``mentions`` must carry ``patent``."""
    mentions = list(mentions)
    patent_ids = {m.patent_id for m in mentions}
    co = defaultdict(list)
    for pid, raw in InventorMention.objects.filter(patent_id__in=patent_ids).values_list(
        "patent_id", "raw_name"
    ):
        co[pid].append(person_key(full=raw))
    assignees = defaultdict(set)
    from patents.models import PatentApplicant

    for pid, name in PatentApplicant.objects.filter(patent_id__in=patent_ids).values_list(
        "patent_id", "organization__normalized_name"
    ):
        assignees[pid].add(org_key(name))
    records = []
    for m in mentions:
        p = m.patent
        name = parse_name(full=m.raw_name)
        own = name.block_key
        codes = list(p.ipc_codes or []) + list(p.cpc_codes or [])
        day = p.application_date or p.publication_date
        records.append(
            MentionRecord(
                id=str(m.pk),
                name=name,
                patent=str(p.pk),
                assignees=frozenset(assignees[p.pk])
                or frozenset(filter(None, [org_key(m.affiliation)])),
                co_inventors=frozenset(k for k in co[p.pk] if k != own),
                ipc_subclasses=frozenset(c[:4] for c in codes if len(c) >= 4),
                ipc_groups=frozenset(c.split("/", 1)[0] for c in codes if len(c) >= 4),
                city=m.region_id or "",
                country=m.country or p.country or "",
                year=day.year if day else None,
            )
        )
    return records


def _mentions(qs) -> list[InventorMention]:
    return list(
        qs.select_related("patent").only(
            "id",
            "raw_name",
            "affiliation",
            "country",
            "region_id",
            "patent_id",
            "patent__id",
            "patent__ipc_codes",
            "patent__cpc_codes",
            "patent__country",
            "patent__application_date",
            "patent__publication_date",
        )
    )


def corpus_frequencies() -> NameFrequencies:
    """How common each name is among every stored mention (distinct raw names).

    Full and incremental runs use the same estimate, so an increment scores a name as
    a full run would. Cost: one pass over the distinct raw names (cached parses).
    """
    names = InventorMention.objects.order_by().values_list("raw_name", flat=True).distinct()
    return NameFrequencies.from_names(parse_name(full=raw) for raw in names.iterator(BATCH))


def mention_pins(mention_ids: Iterable[int] | None = None) -> dict[int, int]:
    """mention id → pinned talent id, matched on (patent, sequence, name as recorded)."""
    qs = InventorMention.objects.all()
    if mention_ids is not None:
        qs = qs.filter(pk__in=list(mention_ids))
    pins = {
        (c.patent_id, c.sequence, c.raw_name): c.talent_id
        for c in TalentConstraint.objects.only("patent_id", "sequence", "raw_name", "talent_id")
    }
    if not pins:
        return {}
    patent_ids = {key[0] for key in pins}
    out = {}
    for mid, pid, seq, raw in qs.filter(patent_id__in=patent_ids).values_list(
        "pk", "patent_id", "sequence", "raw_name"
    ):
        talent_id = pins.get((pid, seq, raw))
        if talent_id is not None:
            out[mid] = talent_id
    return out


@transaction.atomic
def talents_resolve(
    *, full: bool = False, mention_ids: Iterable[int] | None = None
) -> ResolutionStats:
    """Link mentions to talents.

    Incremental (default): mentions without a link (or ``mention_ids``) attach to
    the talents already stored in their blocks or open new talents. ``full=True``
    re-clusters everything from scratch; stored talents keep their ids where
    they keep most of their mentions, and staff pins always win.
    """
    stats = ResolutionStats()
    pins = mention_pins()
    if full:
        targets = InventorMention.objects.all()
    elif mention_ids is not None:
        targets = InventorMention.objects.filter(pk__in=list(mention_ids))
    else:
        targets = InventorMention.objects.filter(talent_link__isnull=True)
    target_records = _mention_records(_mentions(targets))
    stats.mentions = len(target_records)
    if not target_records:
        return stats

    fixed: list[tuple[MentionRecord, str, bool]] = []
    free: list[MentionRecord] = []
    for r in target_records:
        if int(r.id) in pins:
            fixed.append((r, f"t{pins[int(r.id)]}", True))
        else:
            free.append(r)
    target_ids = {int(r.id) for r in target_records}
    previous = dict(
        TalentLink.objects.filter(mention_id__in=target_ids).values_list("mention_id", "talent_id")
    )
    if not full:
        # Seed the stored people of the touched blocks.
        blocks = {r.block for r in target_records}
        # ...and the blocks of surname variants ("Lieberman" for a new "Liberman"), which
        # the engine's second blocking key may link to, as a full run would.
        stored_blocks = TalentLink.objects.order_by().values_list("block_key", flat=True).distinct()
        blocks |= neighbour_blocks_among(target_records, stored_blocks.iterator())
        stored = TalentLink.objects.filter(block_key__in=blocks).exclude(mention_id__in=target_ids)
        stored_map = dict(stored.values_list("mention_id", "talent_id"))
        for r in _mention_records(_mentions(InventorMention.objects.filter(pk__in=stored_map))):
            mid = int(r.id)
            fixed.append((r, f"t{pins.get(mid, stored_map[mid])}", mid in pins))

    resolver = Resolver(label_prefix="new", frequencies=corpus_frequencies())
    for r, label, pinned in fixed:
        resolver.seed(r, label, pinned=pinned)
    results = {int(r.id): (r, label, None) for r, label, _p in fixed if int(r.id) in target_ids}
    for r in sorted(free, key=lambda r: (r.block, -len(r.name.given), r.year or 0, r.id)):
        results[int(r.id)] = (r, None, resolver.attach(r))

    # Engine labels → talents: keep a stored talent where it holds most of the mentions.
    label_members = defaultdict(list)
    for mid, (_r, label, a) in results.items():
        label_members[label or a.label].append(mid)
    label_talent: dict[str, int] = {}
    claimed = set()
    for label in label_members:
        if label.startswith("t"):
            label_talent[label] = int(label[1:])
            claimed.add(int(label[1:]))
    for label, members in sorted(label_members.items(), key=lambda kv: -len(kv[1])):
        if label in label_talent:
            continue
        votes = Counter(previous[m] for m in members if m in previous)
        for talent_id, _n in votes.most_common():
            if talent_id not in claimed:
                label_talent[label] = talent_id
                claimed.add(talent_id)
                break
    new_labels = [label for label in label_members if label not in label_talent]
    created = Talent.objects.bulk_create(
        [Talent(display_name=results[label_members[lb][0]][0].name.display) for lb in new_labels]
    )
    if created and created[0].pk is None:  # backends without RETURNING
        created = list(Talent.objects.order_by("-pk")[: len(new_labels)])[::-1]
    for label, talent in zip(new_labels, created, strict=True):
        label_talent[label] = talent.pk
    stats.new_talents = len(new_labels)

    existing = {
        link.mention_id: link for link in TalentLink.objects.filter(mention_id__in=target_ids)
    }
    to_create, to_update = [], []
    for mid, (r, label, a) in results.items():
        talent_id = label_talent[label or a.label]
        if a is None:
            fields = dict(
                confidence=1.0,
                score=0.0,
                reasons=["staff correction"],
                method=TalentLink.Method.PINNED,
                review=TalentLink.Review.CONFIRMED,
            )
            stats.pinned += 1
        else:
            pending = REVIEW_BAND[0] <= a.confidence < REVIEW_BAND[1]
            fields = dict(
                confidence=round(a.confidence, 4),
                score=round(a.score, 2),
                reasons=list(a.reasons),
                method=TalentLink.Method.ENGINE,
                review=TalentLink.Review.PENDING if pending else TalentLink.Review.NONE,
            )
            stats.to_review += pending
            stats.linked_to_existing += (not a.new) and label_talent[a.label] in claimed
        link = existing.get(mid)
        if link is None:
            to_create.append(
                TalentLink(mention_id=mid, talent_id=talent_id, block_key=r.block, **fields)
            )
        else:
            link.talent_id, link.block_key = talent_id, r.block
            for key, value in fields.items():
                setattr(link, key, value)
            to_update.append(link)
    TalentLink.objects.bulk_create(to_create, batch_size=BATCH)
    TalentLink.objects.bulk_update(
        to_update,
        ["talent", "block_key", "confidence", "score", "reasons", "method", "review"],
        batch_size=BATCH,
    )
    touched = set(label_talent.values()) | set(previous.values())
    talents_refresh_stats(talent_ids=touched)
    _drop_empty_talents(touched)
    return stats


def _drop_empty_talents(talent_ids: set[int]) -> None:
    Talent.objects.filter(pk__in=talent_ids).annotate(n=Count("links")).filter(
        n=0,
        constraints__isnull=True,
        projects__isnull=True,
        objections__isnull=True,
        supply_items__isnull=True,
    ).delete()


def talents_refresh_stats(*, talent_ids: Iterable[int] | None = None) -> int:
    """Recompute names, productivity and the high-yield flag of the given talents."""
    qs = (
        Talent.objects.all()
        if talent_ids is None
        else Talent.objects.filter(pk__in=list(talent_ids))
    )
    this_year = dt.date.today().year
    links = (
        TalentLink.objects.filter(talent__in=qs)
        .select_related("mention__patent")
        .only(
            "talent_id",
            "block_key",
            "mention__raw_name",
            "mention__country",
            "mention__region_id",
            "mention__patent__patent_type",
            "mention__patent__legal_status",
            "mention__patent__cited_by_count",
            "mention__patent__application_date",
            "mention__patent__publication_date",
            "mention__patent__country",
        )
    )
    per = defaultdict(list)
    for link in links.iterator(chunk_size=BATCH):
        per[link.talent_id].append(link)
    talents = list(qs)
    for t in talents:
        items = per.get(t.pk, [])
        names = Counter(link.mention.raw_name for link in items)
        patents = {link.mention.patent_id: link.mention.patent for link in items}
        years = [
            (p.application_date or p.publication_date).year
            for p in patents.values()
            if p.application_date or p.publication_date
        ]
        t.name_variants = [n for n, _c in names.most_common(20)]
        if names:
            t.display_name = names.most_common(1)[0][0][:255]
        t.block_key = (
            Counter(link.block_key for link in items).most_common(1)[0][0] if items else ""
        )
        countries = Counter(link.mention.country or link.mention.patent.country for link in items)
        t.country = countries.most_common(1)[0][0] if countries else ""
        regions = Counter(link.mention.region_id for link in items if link.mention.region_id)
        t.region_id = regions.most_common(1)[0][0] if regions else None
        t.patent_count = len(patents)
        t.granted_invention_count = sum(
            1
            for p in patents.values()
            if p.patent_type == PatentType.INVENTION and p.legal_status == LegalStatus.GRANTED
        )
        t.cited_by_total = sum(p.cited_by_count or 0 for p in patents.values())
        t.recent_patent_count = sum(1 for y in years if y > this_year - RECENT_YEARS)
        t.first_year = min(years) if years else None
        t.last_year = max(years) if years else None
        t.is_high_yield = t.patent_count >= HIGH_YIELD_MIN_PATENTS and (
            t.granted_invention_count >= HIGH_YIELD_MIN_GRANTED
            or t.recent_patent_count >= HIGH_YIELD_MIN_RECENT
        )
    Talent.objects.bulk_update(
        talents,
        [
            "display_name",
            "name_variants",
            "block_key",
            "country",
            "region",
            "patent_count",
            "granted_invention_count",
            "cited_by_total",
            "recent_patent_count",
            "first_year",
            "last_year",
            "is_high_yield",
        ],
        batch_size=BATCH,
    )
    return len(talents)
