"""Talent-linked supply items fed from trading listings and open-licence declarations.

``talent`` sits above ``trading`` and ``openlicense``, so it reads them (through their
selectors / models) and they never know about it. A listing in public notice or listed
for transfer or licence, and an announced open-licence declaration, each publish one
supply item per patent, tied to the talents who invented it and the holder; closing or
withdrawing them withdraws the items. Every function is idempotent: the signal
handlers (``talent.signals``) call the per-object ones after each save, and
``supply_items_sync`` (command / periodic task) catches up with everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from openlicense.models import Declaration
from openlicense.selectors import declarations_public
from trading.models import Listing
from trading.selectors import listings_public

from ..models import SupplyItem, Talent

LISTING_KINDS = {
    Listing.Purpose.TRANSFER: SupplyItem.Kind.TRANSFER,
    Listing.Purpose.LICENCE: SupplyItem.Kind.LICENCE,
}
LISTING_LIVE = (Listing.Status.NOTICE, Listing.Status.LISTED)


@dataclass
class FeedStats:
    published: int = 0
    withdrawn: int = 0
    unchanged: int = 0


def _talents_of(patent_id: int):
    return Talent.objects.filter(links__mention__patent_id=patent_id, suppressed=False).distinct()


def _upsert(*, source, source_id, patent, kind, holder, title, summary, stats) -> None:
    item = SupplyItem.objects.filter(
        source=source, source_object_id=source_id, patent=patent
    ).first()
    changed = False
    if item is None:
        item = SupplyItem(source=source, source_object_id=source_id, patent=patent)
        changed = True
    fields = {
        "kind": kind,
        "holder": holder,
        "title": (title or patent.title)[:255],
        "summary": summary or "",
    }
    for name, value in fields.items():
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed = True
    if item.status != SupplyItem.Status.PUBLISHED:
        item.status, changed = SupplyItem.Status.PUBLISHED, True
        item.published_at = item.published_at or timezone.now()
    if changed:
        item.save()
        stats.published += 1
    else:
        stats.unchanged += 1
    talents = list(_talents_of(patent.pk))
    if {t.pk for t in talents} != set(item.talents.values_list("pk", flat=True)):
        item.talents.set(talents)


def _withdraw(qs, stats) -> None:
    stats.withdrawn += qs.exclude(status=SupplyItem.Status.WITHDRAWN).update(
        status=SupplyItem.Status.WITHDRAWN
    )


@transaction.atomic
def supply_items_sync_listing(*, listing: Listing, stats: FeedStats | None = None) -> FeedStats:
    """Publish / withdraw the supply items of one trading listing."""
    stats = stats or FeedStats()
    mine = SupplyItem.objects.filter(source=SupplyItem.Source.LISTING, source_object_id=listing.pk)
    kind = LISTING_KINDS.get(listing.purpose)
    if listing.status not in LISTING_LIVE or kind is None:
        _withdraw(mine, stats)
        return stats
    patents = [lp.patent for lp in listing.listing_patents.select_related("patent")]
    for patent in patents:
        _upsert(
            source=SupplyItem.Source.LISTING,
            source_id=listing.pk,
            patent=patent,
            kind=kind,
            holder=listing.holder,
            title=listing.title if len(patents) == 1 else patent.title,
            summary=listing.description,
            stats=stats,
        )
    _withdraw(mine.exclude(patent__in=[p.pk for p in patents]), stats)
    return stats


@transaction.atomic
def supply_items_sync_declaration(
    *, declaration: Declaration, stats: FeedStats | None = None
) -> FeedStats:
    """Publish / withdraw the supply item of one open-licence declaration."""
    stats = stats or FeedStats()
    mine = SupplyItem.objects.filter(
        source=SupplyItem.Source.OPEN_LICENCE, source_object_id=declaration.pk
    )
    if declaration.status != Declaration.Status.ANNOUNCED:
        _withdraw(mine, stats)
        return stats
    consent = declaration.consents.select_related("organization").first()
    holder = consent.organization if consent else None
    if holder is None:
        link = declaration.patent.applicant_links.select_related("organization").first()
        holder = link.organization if link else None
    _upsert(
        source=SupplyItem.Source.OPEN_LICENCE,
        source_id=declaration.pk,
        patent=declaration.patent,
        kind=SupplyItem.Kind.OPEN_LICENCE,
        holder=holder,
        title=declaration.patent.title,
        summary="",
        stats=stats,
    )
    return stats


def supply_items_sync() -> FeedStats:
    """Catch up with every live listing and declaration; withdraw items whose source ended."""
    stats = FeedStats()
    live_listings = set()
    for listing in listings_public().filter(purpose__in=list(LISTING_KINDS)):
        live_listings.add(listing.pk)
        supply_items_sync_listing(listing=listing, stats=stats)
    _withdraw(
        SupplyItem.objects.filter(source=SupplyItem.Source.LISTING).exclude(
            source_object_id__in=live_listings
        ),
        stats,
    )
    live_declarations = set()
    for declaration in declarations_public():
        live_declarations.add(declaration.pk)
        supply_items_sync_declaration(declaration=declaration, stats=stats)
    _withdraw(
        SupplyItem.objects.filter(source=SupplyItem.Source.OPEN_LICENCE).exclude(
            source_object_id__in=live_declarations
        ),
        stats,
    )
    return stats
