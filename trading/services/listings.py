"""Listings: submission, staff review, public notice with objections, going live."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization, Patent, PatentApplicant
from portal.programme import ProgrammeLine
from portal.roles import is_centre_staff
from portal.uploads import DOCUMENT
from portal.workdays import WorkCalendarMissing, add_working_days

from ..models import Listing, ListingDocument, ListingPatent, ListingStatusChange, Objection
from .errors import TradingError, upload_check
from .patent_rules import patent_trade_refusal


def notice_working_days() -> int:
    return int(getattr(settings, "TRADING_NOTICE_WORKING_DAYS", 10))


def _change(listing: Listing, *, to: str, actor=None, note: str = "") -> None:
    previous = listing.status
    listing.status = to
    listing.save()
    ListingStatusChange.objects.create(
        listing=listing,
        from_status=previous,
        to_status=to,
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _require(listing: Listing, *allowed: str, message: str) -> None:
    if listing.status not in allowed:
        raise TradingError(message)


def _require_holder(*, holder: Organization, patents: list[Patent], created_by) -> None:
    """Only a patent's holder (its applicant or assignee) or centre staff may list it."""
    if created_by is None or is_centre_staff(created_by):
        return
    held = set(
        PatentApplicant.objects.filter(
            organization=holder, patent__in=[p.pk for p in patents]
        ).values_list("patent_id", flat=True)
    )
    foreign = [p.publication_number for p in patents if p.pk not in held]
    if foreign:
        raise TradingError(
            _("Only the holder of a patent or centre staff may list it: %(numbers)s.")
            % {"numbers": ", ".join(foreign)}
        )


@transaction.atomic
def listing_create(
    *,
    holder: Organization,
    title: str,
    subject: str,
    purpose: str,
    patents: list[Patent] = (),
    asking_price: Decimal | int | str | None = None,
    terms: str = "",
    description: str = "",
    documents: list[tuple[str, object]] = (),
    broker=None,
    programme_line: str = ProgrammeLine.TRADING_HUB,
    external_source: str = "",
    external_number: str = "",
    created_by=None,
    today: dt.date | None = None,
) -> Listing:
    today = today or timezone.localdate()
    patents = list(patents)
    _require_holder(holder=holder, patents=patents, created_by=created_by)
    if not title.strip():
        raise TradingError(_("Give the listing a title."))
    for _doc_title, file in documents:
        upload_check(file, kind=DOCUMENT)
    if subject == Listing.Subject.PATENT and len(patents) != 1:
        raise TradingError(_("A single-patent listing names exactly one patent."))
    if subject == Listing.Subject.PACKAGE and len(patents) < 2:
        raise TradingError(_("A package names at least two patents."))
    if asking_price is not None:
        asking_price = Decimal(str(asking_price))
        if asking_price < 0:
            raise TradingError(_("The asking price cannot be negative."))
    problems = [
        msg
        for p in patents
        if (msg := patent_trade_refusal(p, on=today, licence=purpose == Listing.Purpose.LICENCE))
    ]
    if problems:
        raise TradingError(problems)
    listing = Listing.objects.create(
        holder=holder,
        title=title.strip(),
        subject=subject,
        purpose=purpose,
        asking_price=asking_price,
        terms=terms,
        description=description,
        broker=broker,
        programme_line=programme_line,
        external_source=external_source,
        external_number=external_number,
        created_by=created_by,
    )
    ListingPatent.objects.bulk_create([ListingPatent(listing=listing, patent=p) for p in patents])
    for doc_title, file in documents:
        ListingDocument.objects.create(listing=listing, title=doc_title, file=file)
    ListingStatusChange.objects.create(
        listing=listing,
        to_status=listing.status,
        actor=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    return listing


def listing_submit(*, listing: Listing, actor=None) -> Listing:
    _require(
        listing,
        Listing.Status.DRAFT,
        Listing.Status.REJECTED,
        message=_("Only a draft or rejected listing can be submitted for review."),
    )
    if listing.asking_price is None and listing.purpose != Listing.Purpose.INVESTMENT:
        raise TradingError(_("State an asking price before submitting."))
    _change(listing, to=Listing.Status.SUBMITTED, actor=actor)
    return listing


@transaction.atomic
def listing_review(
    *, listing: Listing, approve: bool, note: str = "", actor=None, today: dt.date | None = None
) -> Listing:
    """Staff review: approval opens the public notice, never the listing itself."""
    _require(listing, Listing.Status.SUBMITTED, message=_("Only a submitted listing is reviewed."))
    if not approve:
        if not note.strip():
            raise TradingError(_("Tell the holder why the listing is rejected."))
        _change(listing, to=Listing.Status.REJECTED, actor=actor, note=note)
        return listing
    today = today or timezone.localdate()
    listing.notice_starts_on = today
    try:
        listing.notice_ends_on = add_working_days(today, notice_working_days())
    except WorkCalendarMissing as missing:
        raise TradingError(missing.messages) from missing
    _change(
        listing,
        to=Listing.Status.NOTICE,
        actor=actor,
        note=note
        or _("Public notice until %(date)s.") % {"date": listing.notice_ends_on.isoformat()},
    )
    return listing


@transaction.atomic
def objection_lodge(
    *,
    listing: Listing,
    objector_name: str,
    reason: str,
    contact: str = "",
    lodged_by=None,
    today: dt.date | None = None,
) -> Objection:
    today = today or timezone.localdate()
    if listing.status != Listing.Status.NOTICE or (
        listing.notice_ends_on and today > listing.notice_ends_on
    ):
        raise TradingError(_("Objections are lodged only during the public notice."))
    if not objector_name.strip() or not reason.strip():
        raise TradingError(_("Give your name and the reason for the objection."))
    return Objection.objects.create(
        listing=listing,
        objector_name=objector_name.strip(),
        reason=reason.strip(),
        contact=contact,
        lodged_by=lodged_by if getattr(lodged_by, "is_authenticated", False) else None,
    )


@transaction.atomic
def objection_resolve(
    *, objection: Objection, upheld: bool, resolution: str, actor=None
) -> Objection:
    if objection.status != Objection.Status.OPEN:
        raise TradingError(_("This objection is already resolved."))
    if not resolution.strip():
        raise TradingError(_("Write down how the objection was resolved."))
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.resolution = resolution.strip()
    objection.resolved_by = actor if getattr(actor, "is_authenticated", False) else None
    objection.resolved_at = timezone.now()
    objection.save()
    if upheld:
        listing = objection.listing
        _change(
            listing,
            to=Listing.Status.REJECTED,
            actor=actor,
            note=_("Objection upheld: %(text)s") % {"text": objection.resolution},
        )
    return objection


@transaction.atomic
def listing_publish(*, listing: Listing, actor=None, today: dt.date | None = None) -> Listing:
    """List publicly once the full public notice has run without open objections."""
    today = today or timezone.localdate()
    if listing.status in (Listing.Status.DRAFT, Listing.Status.SUBMITTED):
        raise TradingError(
            _("A listing goes public only after review and its public notice period.")
        )
    _require(
        listing, Listing.Status.NOTICE, message=_("Only a listing in public notice can be listed.")
    )
    if listing.notice_ends_on is None or today <= listing.notice_ends_on:
        raise TradingError(
            _("The public notice runs until %(date)s; the listing can go public after it.")
            % {"date": listing.notice_ends_on.isoformat() if listing.notice_ends_on else "?"}
        )
    if listing.objections.filter(status=Objection.Status.OPEN).exists():
        raise TradingError(_("Resolve every open objection before listing."))
    listing.listed_at = timezone.now()
    _change(listing, to=Listing.Status.LISTED, actor=actor)
    return listing


def listing_withdraw(*, listing: Listing, reason: str, actor=None) -> Listing:
    if listing.status in (Listing.Status.CLOSED, Listing.Status.WITHDRAWN):
        raise TradingError(_("This listing is already closed."))
    if not reason.strip():
        raise TradingError(_("Give the reason for withdrawing the listing."))
    _change(listing, to=Listing.Status.WITHDRAWN, actor=actor, note=reason)
    return listing


def listing_close(*, listing: Listing, deal, actor=None) -> Listing:
    _change(
        listing,
        to=Listing.Status.CLOSED,
        actor=actor,
        note=_("Deal %(id)s signed.") % {"id": deal.pk},
    )
    return listing
