"""Declarations: eligibility pre-check and the draft → submitted → announced →
withdrawn flow."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization, Patent, PatentType
from portal.programme import ProgrammeLine
from portal.uploads import DOCUMENT, validate_upload
from trading.services.deals import exclusive_licences_in_force
from trading.services.patent_rules import patent_expiry, patent_trade_refusal

from ..models import Declaration, DeclarationStatusChange, FeeRange, PatenteeConsent
from .errors import OpenLicenceError


@dataclass(frozen=True)
class PrecheckItem:
    code: str
    ok: bool
    message: str
    # Guidance (the fee band, issue 15): shown as a warning, never a refusal.
    warning: bool = False


# Markers of the recorded legal status (as the data source writes it) that bar an open
# licence: unpaid annuities (Implementing Regulations art. 98) and a procedure
# suspended or the patent preserved by a court (arts. 86-87: 中止 / 保全).
BARRING_STATUS_MARKERS = {
    "年费": "annuity",
    "未缴": "annuity",
    "中止": "suspension",
    "保全": "preservation",
}


def document_sha256(upload) -> str:
    """Check an uploaded written document and return its SHA-256 (kept as evidence)."""
    validate_upload(upload, kind=DOCUMENT)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _attach_consent(consent: PatenteeConsent, upload, *, on: dt.date) -> None:
    try:
        sha = document_sha256(upload)
    except ValidationError as exc:
        raise OpenLicenceError(
            _("The written consent of %(name)s: %(reason)s")
            % {"name": consent.organization.name, "reason": " ".join(exc.messages)}
        ) from exc
    consent.document = upload
    consent.document_sha256 = sha
    consent.consented = True
    consent.consented_on = on
    consent.save()


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
    consent_documents: dict | None = None,
) -> Declaration:
    """A draft declaration. Patentees default to the patent's recorded
    applicants/assignees; ``consenting`` lists those whose written consent is attached
    in ``consent_documents`` (organization id → uploaded scan). A co-owner without its
    own document has not consented: one patentee never consents for another."""
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
    documents = dict(consent_documents or {})
    consenting_ids = {o.pk for o in (consenting or [])} | set(documents)
    for org in dict.fromkeys(patentees):
        consent = PatenteeConsent.objects.create(declaration=declaration, organization=org)
        if org.pk not in consenting_ids:
            continue
        if documents.get(org.pk) is None:
            raise OpenLicenceError(
                _("Attach the written consent of %(name)s.") % {"name": org.name}
            )
        _attach_consent(consent, documents[org.pk], on=declaration.declared_on)
    DeclarationStatusChange.objects.create(declaration=declaration, to_status=declaration.status)
    return declaration


@transaction.atomic
def consent_record(*, consent: PatenteeConsent, document, on=None, actor=None) -> PatenteeConsent:
    """One co-owner's signed written consent to declare, attached while a draft."""
    if consent.declaration.status != Declaration.Status.DRAFT:
        raise OpenLicenceError(_("Consents are recorded while the declaration is a draft."))
    if document is None:
        raise OpenLicenceError(
            _("Attach the written consent of %(name)s.") % {"name": consent.organization.name}
        )
    _attach_consent(consent, document, on=on or timezone.localdate())
    return consent


def _fee_check(declaration: Declaration) -> PrecheckItem:
    """The configured fee band is guidance: outside it the pre-check warns, citing the
    band's source, and never refuses (the law sets no band; issue 15)."""
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
        source = fee_range.basis.strip() or _("the centre's configuration (no source recorded)")
        return PrecheckItem(
            "fee",
            False,
            _(
                "Guidance only: the fee is outside the configured range (%(p)s). "
                "Source of the range: %(source)s"
            )
            % {"p": "; ".join(problems), "source": source},
            warning=True,
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
        if not (c.consented and c.document_sha256)
    ]
    items.append(
        PrecheckItem(
            "consent",
            not missing,
            _("Written consent missing from: %(names)s.") % {"names": ", ".join(missing)}
            if missing
            else _("Every patentee's written consent is on file."),
        )
    )
    raw = patent.legal_status_raw or ""
    barred = sorted({kind for marker, kind in BARRING_STATUS_MARKERS.items() if marker in raw})
    items.append(
        PrecheckItem(
            "annuity_suspension",
            not barred,
            _(
                "The recorded legal status (%(status)s) shows unpaid annuities or a suspension "
                "or preservation; the patent cannot be declared."
            )
            % {"status": raw}
            if barred
            else _("No annuity arrears, suspension or preservation recorded."),
        )
    )
    expiry = patent_expiry(patent)
    term_end = _years_after(declaration.declared_on, declaration.term_years)
    if expiry is not None and term_end > expiry:
        items.append(
            PrecheckItem(
                "term",
                False,
                _(
                    "The licence term runs past the patent's expiry on %(date)s; each licence "
                    "will end on that date."
                )
                % {"date": expiry.isoformat()},
                warning=True,
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


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _refuse_unless_eligible(declaration: Declaration, *, on=None) -> None:
    failed = [
        i.message
        for i in declaration_precheck(declaration=declaration, on=on)
        if not i.ok and not i.warning
    ]
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
    *,
    declaration: Declaration,
    announcement_number: str = "",
    announced_on: dt.date | None = None,
    actor=None,
) -> Declaration:
    """Record CNIPA's announcement of the declaration (its number and date, entered by
    staff from the CNIPA gazette); the open licence is in force from then on
    (Patent Law art. 50). A staff click without them puts nothing in force."""
    if declaration.status != Declaration.Status.SUBMITTED:
        raise OpenLicenceError(_("Only a submitted declaration can be announced."))
    announcement_number = (announcement_number or "").strip()
    if not announcement_number or announced_on is None:
        raise OpenLicenceError(
            _(
                "Enter CNIPA's announcement number and date: the declaration takes effect "
                "when CNIPA announces it."
            )
        )
    if announced_on > timezone.localdate():
        raise OpenLicenceError(_("The announcement date cannot be in the future."))
    _refuse_unless_eligible(declaration, on=announced_on)
    declaration.announced_on = announced_on
    declaration.cnipa_announcement_number = announcement_number
    _change(declaration, to=Declaration.Status.ANNOUNCED, actor=actor)
    return declaration


@transaction.atomic
def declaration_withdraw(
    *, declaration: Declaration, reason: str, documents: dict | None = None, actor=None
) -> Declaration:
    """The patentees' written withdrawal: every co-owner's own signed consent to withdraw
    (``documents``: organization id → uploaded scan, or already on file); one patentee
    cannot withdraw for the others. It takes effect only when announced
    (``declaration_withdrawal_announce``); a draft or submitted one is simply
    withdrawn."""
    if not reason.strip():
        raise OpenLicenceError(_("A withdrawal needs a written reason."))
    if declaration.status == Declaration.Status.WITHDRAWN:
        raise OpenLicenceError(_("This declaration is already withdrawn."))
    if declaration.withdrawal_requested_at:
        raise OpenLicenceError(_("A withdrawal is already awaiting announcement."))
    documents = dict(documents or {})
    today = timezone.localdate()
    missing = []
    for consent in declaration.consents.select_related("organization"):
        upload = documents.get(consent.organization_id)
        if upload is not None:
            try:
                consent.withdrawal_document_sha256 = document_sha256(upload)
            except ValidationError as exc:
                raise OpenLicenceError(
                    _("The written consent of %(name)s: %(reason)s")
                    % {"name": consent.organization.name, "reason": " ".join(exc.messages)}
                ) from exc
            consent.withdrawal_document = upload
            consent.withdrawal_consented_on = today
            consent.save()
        elif not consent.withdrawal_document_sha256:
            missing.append(consent.organization.name)
    if missing:
        raise OpenLicenceError(
            _("Every patentee must consent in writing to the withdrawal; missing: %(names)s.")
            % {"names": ", ".join(missing)}
        )
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
