"""Declarations: eligibility pre-check and the draft → submitted → announced →
withdrawn flow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization, Patent, PatentType
from portal.programme import ProgrammeLine
from trading.services.deals import exclusive_licences_in_force
from trading.services.patent_rules import patent_trade_refusal

from ..models import Declaration, DeclarationStatusChange, FeeRange, PatenteeConsent
from .errors import OpenLicenceError


@dataclass(frozen=True)
class PrecheckItem:
    code: str
    ok: bool
    message: str


def _change(declaration: Declaration, *, to: str, actor=None, note: str = "") -> None:
    previous = declaration.status
    declaration.status = to
    declaration.save()
    DeclarationStatusChange.objects.create(
        declaration=declaration,
        from_status=previous,
        to_status=to,
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def declaration_create(
    *,
    patent: Patent,
    patentees: list[Organization] | None = None,
    consenting: list[Organization] | None = None,
    fee_lump_sum=None,
    royalty_rate=None,
    royalty_base: str = "",
    payment_method: str,
    term_years: int,
    declared_on: dt.date | None = None,
    evaluation_report_number: str = "",
    pledged: bool = False,
    pledgee_consent: bool = False,
    programme_line: str = ProgrammeLine.TRADING_HUB,
    created_by=None,
) -> Declaration:
    """A draft declaration. Patentees default to the patent's recorded
    applicants/assignees; ``consenting`` lists those whose consent is on file."""
    if fee_lump_sum in ("", None) and royalty_rate in ("", None):
        raise OpenLicenceError(_("State a lump-sum fee, a royalty rate, or both."))
    if royalty_rate not in ("", None) and not royalty_base:
        raise OpenLicenceError(_("Say whether the royalty is on sales or on profit."))
    if not term_years or int(term_years) < 1:
        raise OpenLicenceError(_("The licence term is at least one year."))
    if patentees is None:
        patentees = [
            link.organization
            for link in patent.applicant_links.select_related("organization").order_by("sequence")
        ]
    if not patentees:
        raise OpenLicenceError(_("Name the patentee(s) of the patent."))
    if Declaration.objects.filter(
        patent=patent,
        status__in=(Declaration.Status.SUBMITTED, Declaration.Status.ANNOUNCED),
    ).exists():
        raise OpenLicenceError(
            _("This patent already has an open licence declaration in progress.")
        )
    declaration = Declaration.objects.create(
        patent=patent,
        fee_lump_sum=Decimal(str(fee_lump_sum)) if fee_lump_sum not in ("", None) else None,
        royalty_rate=Decimal(str(royalty_rate)) if royalty_rate not in ("", None) else None,
        royalty_base=royalty_base,
        payment_method=payment_method,
        term_years=int(term_years),
        declared_on=declared_on or timezone.localdate(),
        evaluation_report_number=evaluation_report_number.strip(),
        pledged=pledged,
        pledgee_consent=pledgee_consent,
        programme_line=programme_line,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    consenting_ids = {o.pk for o in (consenting or [])}
    for org in dict.fromkeys(patentees):
        PatenteeConsent.objects.create(
            declaration=declaration,
            organization=org,
            consented=org.pk in consenting_ids,
            consented_on=declaration.declared_on if org.pk in consenting_ids else None,
        )
    DeclarationStatusChange.objects.create(declaration=declaration, to_status=declaration.status)
    return declaration


def _fee_check(declaration: Declaration) -> PrecheckItem:
    fee_range = FeeRange.objects.filter(patent_type=declaration.patent.patent_type).first()
    if fee_range is None:
        return PrecheckItem(
            "fee", True, _("No reasonable fee range is configured for this patent type.")
        )
    problems = []
    lump, rate = declaration.fee_lump_sum, declaration.royalty_rate
    if lump is not None:
        if fee_range.lump_sum_min is not None and lump < fee_range.lump_sum_min:
            problems.append(_("lump sum below %(v)s RMB") % {"v": fee_range.lump_sum_min})
        if fee_range.lump_sum_max is not None and lump > fee_range.lump_sum_max:
            problems.append(_("lump sum above %(v)s RMB") % {"v": fee_range.lump_sum_max})
    if rate is not None:
        if declaration.royalty_base == Declaration.RoyaltyBase.PROFIT:
            low, high = fee_range.profit_royalty_rate_min, fee_range.profit_royalty_rate_max
            low_msg = _("royalty rate on profit below %(v)s")
            high_msg = _("royalty rate on profit above %(v)s")
        else:
            low, high = fee_range.royalty_rate_min, fee_range.royalty_rate_max
            low_msg = _("royalty rate on sales below %(v)s")
            high_msg = _("royalty rate on sales above %(v)s")
        if low is not None and rate < low:
            problems.append(low_msg % {"v": low})
        if high is not None and rate > high:
            problems.append(high_msg % {"v": high})
    if problems:
        return PrecheckItem(
            "fee",
            False,
            _("The fee is outside the reasonable range: %(p)s.") % {"p": "; ".join(problems)},
        )
    return PrecheckItem("fee", True, _("The fee is within the reasonable range."))


def declaration_precheck(
    *, declaration: Declaration, on: dt.date | None = None
) -> list[PrecheckItem]:
    """Every eligibility condition, each with its own message."""
    on = on or timezone.localdate()
    patent = declaration.patent
    items = []
    refusal = patent_trade_refusal(patent, on=on, licence=True)
    items.append(
        PrecheckItem(
            "in_force", refusal is None, refusal or _("The patent is granted and in force.")
        )
    )
    missing = [
        c.organization.name
        for c in declaration.consents.select_related("organization")
        if not c.consented
    ]
    items.append(
        PrecheckItem(
            "consent",
            not missing,
            _("Consent missing from: %(names)s.") % {"names": ", ".join(missing)}
            if missing
            else _("Every patentee consents."),
        )
    )
    if patent.patent_type in (PatentType.UTILITY_MODEL, PatentType.DESIGN):
        has_report = bool(declaration.evaluation_report_number)
        items.append(
            PrecheckItem(
                "evaluation_report",
                has_report,
                _("A utility model or design needs a patent evaluation report.")
                if not has_report
                else _("Patent evaluation report %(n)s.")
                % {"n": declaration.evaluation_report_number},
            )
        )
    exclusive = exclusive_licences_in_force(patent_ids=[patent.pk], on=on).exists()
    items.append(
        PrecheckItem(
            "no_exclusive",
            not exclusive,
            _("An exclusive or sole licence is in force on this patent.")
            if exclusive
            else _("No exclusive or sole licence is in force."),
        )
    )
    pledge_ok = not declaration.pledged or declaration.pledgee_consent
    items.append(
        PrecheckItem(
            "pledge",
            pledge_ok,
            _("The patent is pledged and the pledgee has not consented.")
            if not pledge_ok
            else _("No pledge stands in the way."),
        )
    )
    items.append(_fee_check(declaration))
    return items


def _refuse_unless_eligible(declaration: Declaration, *, on=None) -> None:
    failed = [i.message for i in declaration_precheck(declaration=declaration, on=on) if not i.ok]
    if failed:
        raise OpenLicenceError(failed)


@transaction.atomic
def declaration_submit(*, declaration: Declaration, actor=None, on=None) -> Declaration:
    if declaration.status != Declaration.Status.DRAFT:
        raise OpenLicenceError(_("Only a draft declaration can be submitted."))
    _refuse_unless_eligible(declaration, on=on)
    declaration.submitted_at = timezone.now()
    _change(declaration, to=Declaration.Status.SUBMITTED, actor=actor)
    return declaration


@transaction.atomic
def declaration_announce(
    *, declaration: Declaration, announced_on: dt.date | None = None, actor=None
) -> Declaration:
    """Staff announce the declaration; from then on the open licence is in force."""
    if declaration.status != Declaration.Status.SUBMITTED:
        raise OpenLicenceError(_("Only a submitted declaration can be announced."))
    announced_on = announced_on or timezone.localdate()
    _refuse_unless_eligible(declaration, on=announced_on)
    declaration.announced_on = announced_on
    _change(declaration, to=Declaration.Status.ANNOUNCED, actor=actor)
    return declaration


@transaction.atomic
def declaration_withdraw(*, declaration: Declaration, reason: str, actor=None) -> Declaration:
    """The patentee's written withdrawal. It takes effect only when announced
    (``declaration_withdrawal_announce``); a draft or submitted one is simply
    withdrawn."""
    if not reason.strip():
        raise OpenLicenceError(_("A withdrawal needs a written reason."))
    if declaration.status == Declaration.Status.WITHDRAWN:
        raise OpenLicenceError(_("This declaration is already withdrawn."))
    if declaration.withdrawal_requested_at:
        raise OpenLicenceError(_("A withdrawal is already awaiting announcement."))
    declaration.withdrawal_reason = reason.strip()
    declaration.withdrawal_requested_at = timezone.now()
    if declaration.status == Declaration.Status.ANNOUNCED:
        declaration.save()
        DeclarationStatusChange.objects.create(
            declaration=declaration,
            from_status=declaration.status,
            to_status=declaration.status,
            note=_("Withdrawal requested: %(r)s") % {"r": declaration.withdrawal_reason},
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        return declaration
    declaration.withdrawn_on = timezone.localdate()
    _change(declaration, to=Declaration.Status.WITHDRAWN, actor=actor, note=reason)
    return declaration


@transaction.atomic
def declaration_withdrawal_announce(
    *, declaration: Declaration, announced_on: dt.date | None = None, actor=None
) -> Declaration:
    """Announce a requested withdrawal. Licences already granted stay in force."""
    if (
        declaration.status != Declaration.Status.ANNOUNCED
        or not declaration.withdrawal_requested_at
    ):
        raise OpenLicenceError(_("There is no requested withdrawal to announce."))
    declaration.withdrawn_on = announced_on or timezone.localdate()
    _change(
        declaration,
        to=Declaration.Status.WITHDRAWN,
        actor=actor,
        note=declaration.withdrawal_reason,
    )
    return declaration
