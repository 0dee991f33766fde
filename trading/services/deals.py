"""Deals and their settlement milestones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization, Patent
from portal.programme import ProgrammeLine
from portal.uploads import DOCUMENT

from ..models import Deal, DealAuditEntry, DealEvidence, DealPatent, Listing, SettlementMilestone
from .errors import TradingError, upload_check
from .guards import deal_guard_messages
from .patent_rules import patent_trade_refusal

LIVE_DEAL_STATUSES = (Deal.Status.SIGNED, Deal.Status.RECORDED)


def _audit(deal: Deal, *, action: str, actor=None, milestone=None, frm="", to="", note="") -> None:
    DealAuditEntry.objects.create(
        deal=deal,
        milestone=milestone,
        action=action,
        from_status=frm,
        to_status=to,
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def exclusive_licences_in_force(*, patent_ids, on: dt.date, exclude_deal_id=None):
    qs = Deal.objects.filter(
        kind__in=Deal.EXCLUSIVE_KINDS,
        status__in=LIVE_DEAL_STATUSES,
        deal_patents__patent_id__in=list(patent_ids),
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    if exclude_deal_id:
        qs = qs.exclude(pk=exclude_deal_id)
    return qs.distinct()


def _check_sources(*, source_event_id: int | None, source_push_id: int | None) -> None:
    """The event or push that led to the deal must exist (they are foreign keys)."""
    from matching.models import Push
    from operations_center.models import Event

    if source_event_id and not Event.objects.filter(pk=source_event_id).exists():
        raise TradingError(_("No event with id %(id)s.") % {"id": source_event_id})
    if source_push_id and not Push.objects.filter(pk=source_push_id).exists():
        raise TradingError(_("No push with id %(id)s.") % {"id": source_push_id})


def _check_deal_rules(*, kind: str, patents: list[Patent], on: dt.date, deal_id=None) -> None:
    licence = kind in Deal.LICENCE_KINDS
    problems = [
        msg for p in patents if (msg := patent_trade_refusal(p, on=on, licence=licence)) is not None
    ]
    patent_ids = [p.pk for p in patents]
    if kind in Deal.EXCLUSIVE_KINDS or kind == Deal.Kind.TRANSFER:
        for other in exclusive_licences_in_force(
            patent_ids=patent_ids, on=on, exclude_deal_id=deal_id
        ):
            if kind == Deal.Kind.TRANSFER:
                continue  # a transfer carries existing licences with it
            problems.append(
                _(
                    "An exclusive or sole licence (deal %(id)s) is already in force "
                    "on these patents."
                )
                % {"id": other.pk}
            )
    problems.extend(deal_guard_messages(kind=kind, patent_ids=patent_ids, on=on))
    if problems:
        raise TradingError(problems)


@transaction.atomic
def deal_create(
    *,
    kind: str,
    assignor: Organization,
    assignee: Organization,
    patents: list[Patent],
    amount: Decimal | int | str = 0,
    status: str = Deal.Status.DRAFT,
    signed_on: dt.date | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    contract_number: str = "",
    recordal_number: str = "",
    recorded_on: dt.date | None = None,
    title: str = "",
    programme_line: str = ProgrammeLine.TRADING_HUB,
    listing: Listing | None = None,
    broker=None,
    commission_amount: Decimal | int | str = 0,
    source_event_id: int | None = None,
    source_push_id: int | None = None,
    external_source: str = "",
    external_number: str = "",
    created_by=None,
    today: dt.date | None = None,
) -> Deal:
    """Create the one record of a transaction. Used by the hub, by
    ``openlicense`` (open licences) and by ``alliances`` (pool licences)."""
    today = today or timezone.localdate()
    if kind not in Deal.Kind.values:
        raise TradingError(_("Unknown deal kind: %(kind)s.") % {"kind": kind})
    if status not in (Deal.Status.DRAFT, Deal.Status.SIGNED, Deal.Status.RECORDED):
        raise TradingError(_("A new deal is a draft, signed or recorded."))
    patents = list(patents)
    if not patents:
        raise TradingError(_("A deal needs at least one patent."))
    if assignor.pk == assignee.pk:
        raise TradingError(_("The assignor and the assignee must be different organizations."))
    amount = Decimal(str(amount))
    if amount < 0:
        raise TradingError(_("The amount cannot be negative."))
    if status != Deal.Status.DRAFT and not signed_on:
        raise TradingError(_("A signed deal needs its signing date."))
    if starts_on and ends_on and ends_on < starts_on:
        raise TradingError(_("The licence term ends before it starts."))
    _check_deal_rules(kind=kind, patents=patents, on=signed_on or today)
    _check_sources(source_event_id=source_event_id, source_push_id=source_push_id)
    deal = Deal.objects.create(
        kind=kind,
        status=status,
        title=title,
        assignor=assignor,
        assignee=assignee,
        amount=amount,
        signed_on=signed_on,
        starts_on=starts_on or (signed_on if kind in Deal.LICENCE_KINDS else None),
        ends_on=ends_on,
        contract_number=contract_number,
        recordal_number=recordal_number,
        recorded_on=recorded_on,
        programme_line=programme_line,
        listing=listing,
        broker=broker,
        commission_amount=Decimal(str(commission_amount)),
        source_event_id=source_event_id,
        source_push_id=source_push_id,
        external_source=external_source,
        external_number=external_number,
        created_by=created_by,
    )
    DealPatent.objects.bulk_create([DealPatent(deal=deal, patent=p) for p in patents])
    _audit(deal, action="created", actor=created_by, to=status)
    if listing is not None and status != Deal.Status.DRAFT:
        _close_listing(listing, deal=deal, actor=created_by)
    return deal


def _close_listing(listing: Listing, *, deal: Deal, actor) -> None:
    from .listings import listing_close

    if listing.status == Listing.Status.LISTED:
        listing_close(listing=listing, deal=deal, actor=actor)


@transaction.atomic
def deal_sign(*, deal: Deal, signed_on: dt.date, contract_number: str = "", actor=None) -> Deal:
    if deal.status != Deal.Status.DRAFT:
        raise TradingError(_("Only a draft deal can be signed."))
    if not signed_on:
        raise TradingError(_("A signed deal needs its signing date."))
    _check_deal_rules(
        kind=deal.kind, patents=list(deal.patents.all()), on=signed_on, deal_id=deal.pk
    )
    deal.status = Deal.Status.SIGNED
    deal.signed_on = signed_on
    if deal.kind in Deal.LICENCE_KINDS and not deal.starts_on:
        deal.starts_on = signed_on
    if contract_number:
        deal.contract_number = contract_number
    deal.save()
    _audit(deal, action="signed", actor=actor, frm=Deal.Status.DRAFT, to=deal.status)
    if deal.listing is not None:
        _close_listing(deal.listing, deal=deal, actor=actor)
    return deal


@transaction.atomic
def deal_record(*, deal: Deal, recordal_number: str, recorded_on: dt.date, actor=None) -> Deal:
    if deal.status != Deal.Status.SIGNED:
        raise TradingError(_("Only a signed deal can be recorded with CNIPA."))
    if not recordal_number.strip():
        raise TradingError(_("Enter the CNIPA recordal number."))
    if deal.signed_on and recorded_on < deal.signed_on:
        raise TradingError(_("A deal cannot be recorded before it was signed."))
    deal.status = Deal.Status.RECORDED
    deal.recordal_number = recordal_number.strip()
    deal.recorded_on = recorded_on
    deal.save()
    _audit(deal, action="recorded", actor=actor, frm=Deal.Status.SIGNED, to=deal.status)
    return deal


@transaction.atomic
def deal_cancel(*, deal: Deal, reason: str, actor=None) -> Deal:
    if deal.status == Deal.Status.CANCELLED:
        raise TradingError(_("The deal is already cancelled."))
    if not reason.strip():
        raise TradingError(_("Give the reason for cancelling the deal."))
    previous = deal.status
    deal.status = Deal.Status.CANCELLED
    deal.save()
    _audit(deal, action="cancelled", actor=actor, frm=previous, to=deal.status, note=reason)
    return deal


def deal_evidence_add(*, deal: Deal, title: str, file, actor=None) -> DealEvidence:
    if not title.strip():
        raise TradingError(_("Give the evidence file a title."))
    upload_check(file, kind=DOCUMENT)
    evidence = DealEvidence.objects.create(deal=deal, title=title, file=file, uploaded_by=actor)
    _audit(deal, action="evidence_added", actor=actor, note=title)
    return evidence


@transaction.atomic
def milestone_add(
    *,
    deal: Deal,
    kind: str,
    amount: Decimal | int | str,
    due_on: dt.date | None = None,
    actor=None,
) -> SettlementMilestone:
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    if deal.status == Deal.Status.CANCELLED:
        raise TradingError(_("A cancelled deal takes no settlement milestones."))
    if kind not in SettlementMilestone.Kind.values:
        raise TradingError(_("Unknown milestone kind: %(kind)s.") % {"kind": kind})
    amount = Decimal(str(amount))
    if amount <= 0:
        raise TradingError(_("A milestone amount must be positive."))
    milestones = deal.milestones.exclude(status=SettlementMilestone.Status.WAIVED)
    if kind == SettlementMilestone.Kind.COMMISSION:
        if deal.broker_id is None:
            raise TradingError(_("Only a deal handled by a broker has a commission."))
        already = milestones.filter(kind=kind).aggregate(s=Sum("amount"))["s"] or 0
        if deal.commission_amount and already + amount > deal.commission_amount:
            raise TradingError(
                _("Commission milestones would exceed the agreed commission of %(amount)s.")
                % {"amount": deal.commission_amount}
            )
    else:
        if milestones.filter(kind=SettlementMilestone.Kind.FINAL_PAYMENT).exists():
            raise TradingError(_("The final payment is already scheduled."))
        already = (
            milestones.exclude(kind=SettlementMilestone.Kind.COMMISSION).aggregate(s=Sum("amount"))[
                "s"
            ]
            or 0
        )
        if already + amount > deal.amount:
            raise TradingError(
                _("Payments would exceed the deal amount of %(amount)s RMB.")
                % {"amount": deal.amount}
            )
    sequence = (deal.milestones.count() or 0) + 1
    milestone = SettlementMilestone.objects.create(
        deal=deal, kind=kind, amount=amount, due_on=due_on, sequence=sequence
    )
    _audit(
        deal,
        action="milestone_added",
        actor=actor,
        milestone=milestone,
        to=milestone.status,
        note=f"{milestone.get_kind_display()} {amount}",
    )
    return milestone


def _milestone_transition(milestone, *, to: str, allowed_from, action: str, actor, note=""):
    if milestone.status not in allowed_from:
        raise TradingError(
            _("A milestone that is %(status)s cannot become %(to)s.")
            % {
                "status": milestone.get_status_display(),
                "to": SettlementMilestone.Status(to).label,
            }
        )
    previous = milestone.status
    milestone.status = to
    milestone.save()
    _audit(
        milestone.deal,
        action=action,
        actor=actor,
        milestone=milestone,
        frm=previous,
        to=to,
        note=note,
    )
    return milestone


@transaction.atomic
def milestone_mark_paid(
    *, milestone: SettlementMilestone, paid_on: dt.date, reference: str = "", actor=None
) -> SettlementMilestone:
    if milestone.deal.status not in LIVE_DEAL_STATUSES:
        raise TradingError(_("Payments are recorded only on a signed or recorded deal."))
    milestone.paid_on = paid_on
    milestone.reference = reference
    return _milestone_transition(
        milestone,
        to=SettlementMilestone.Status.PAID,
        allowed_from=(SettlementMilestone.Status.PENDING,),
        action="milestone_paid",
        actor=actor,
        note=reference,
    )


@transaction.atomic
def milestone_confirm(*, milestone: SettlementMilestone, actor=None) -> SettlementMilestone:
    return _milestone_transition(
        milestone,
        to=SettlementMilestone.Status.CONFIRMED,
        allowed_from=(SettlementMilestone.Status.PAID,),
        action="milestone_confirmed",
        actor=actor,
    )


@transaction.atomic
def milestone_waive(
    *, milestone: SettlementMilestone, reason: str, actor=None
) -> SettlementMilestone:
    if not reason.strip():
        raise TradingError(_("Give the reason for waiving the milestone."))
    return _milestone_transition(
        milestone,
        to=SettlementMilestone.Status.WAIVED,
        allowed_from=(SettlementMilestone.Status.PENDING,),
        action="milestone_waived",
        actor=actor,
        note=reason,
    )
