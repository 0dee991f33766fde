"""Concluding an open licence: written notice, payment (which creates the one
``trading.Deal``), the 3-month filing window and its reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization
from portal.permissions import is_line_staff
from portal.roles import user_organization_id
from trading.models import Deal
from trading.services import TradingError, deal_create
from trading.services.patent_rules import patent_expiry

from ..models import Declaration, OpenLicence
from .declarations import document_sha256
from .errors import OpenLicenceError

FILING_WINDOW = relativedelta(months=3)
# Days before the filing deadline on which a reminder goes out; 0 = the day itself.
REMINDER_DAYS = (30, 7, 0)


def _notice_text(declaration: Declaration, licensee: Organization, sent_on: dt.date) -> str:
    patentees = "、".join(c.organization.name for c in declaration.consents.all())
    fee = []
    if declaration.fee_lump_sum is not None:
        fee.append(_("lump sum %(v)s RMB") % {"v": declaration.fee_lump_sum})
    if declaration.royalty_rate is not None:
        fee.append(
            _("royalty %(rate)s of %(base)s")
            % {"rate": declaration.royalty_rate, "base": declaration.get_royalty_base_display()}
        )
    return _(
        "To %(patentees)s: %(licensee)s hereby gives written notice that it will exploit "
        "patent %(number)s (%(title)s) under the open licence announced on %(announced)s, "
        "and will pay the announced fee (%(fee)s) by %(method)s. Date: %(date)s."
    ) % {
        "patentees": patentees,
        "licensee": licensee.name,
        "number": declaration.patent.publication_number,
        "title": declaration.patent.title,
        "announced": declaration.announced_on,
        "fee": "; ".join(fee),
        "method": declaration.get_payment_method_display(),
        "date": sent_on.isoformat(),
    }


# E-mail backends that hand nothing to a mail server: no delivery to record.
UNDELIVERED_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)


def _patentee_addresses(declaration: Declaration) -> list[str]:
    org_ids = list(declaration.consents.values_list("organization_id", flat=True))
    return sorted(
        set(
            get_user_model()
            .objects.filter(profile__organization_id__in=org_ids, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def open_licence_deliver_notice(*, licence: OpenLicence) -> OpenLicence:
    """Deliver the licensee's written notice to the patentees through the portal's
    e-mail channel; the delivery is recorded only when a mail server accepted it for at
    least one patentee address (art. 51: the notice must reach the patentee)."""
    if licence.notice_delivered_at is not None:
        return licence
    addresses = _patentee_addresses(licence.declaration)
    if not addresses or settings.EMAIL_BACKEND in UNDELIVERED_BACKENDS:
        return licence
    sent = send_mail(
        subject=_("Written notice of an open licence: %(n)s")
        % {"n": licence.declaration.patent.publication_number},
        message=licence.notice_text,
        from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
        recipient_list=addresses,
    )
    if sent:
        licence.notice_delivered_at = timezone.now()
        licence.notice_delivered_to = ", ".join(addresses)
        licence.save(update_fields=["notice_delivered_at", "notice_delivered_to", "updated_at"])
    return licence


@transaction.atomic
def open_licence_conclude(
    *,
    declaration: Declaration,
    licensee: Organization,
    notice_sent_on: dt.date | None = None,
    created_by=None,
) -> OpenLicence:
    """The licensee's written notice through the portal, delivered to the patentees."""
    if not declaration.in_force:
        raise OpenLicenceError(
            _(
                "Only an open licence that CNIPA has announced (number and date on record) "
                "can be taken up."
            )
        )
    if licensee.kind != Organization.Kind.ENTERPRISE:
        raise OpenLicenceError(_("The licensee must be an enterprise."))
    if declaration.consents.filter(organization=licensee).exists():
        raise OpenLicenceError(_("A patentee cannot license its own patent."))
    if OpenLicence.objects.filter(declaration=declaration, licensee=licensee).exists():
        raise OpenLicenceError(_("This enterprise has already sent its notice for this patent."))
    sent_on = notice_sent_on or timezone.localdate()
    licence = OpenLicence.objects.create(
        declaration=declaration,
        licensee=licensee,
        notice_sent_on=sent_on,
        notice_text=_notice_text(declaration, licensee, sent_on),
        programme_line=declaration.programme_line,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    return open_licence_deliver_notice(licence=licence)


@transaction.atomic
def open_licence_record_payment(
    *,
    licence: OpenLicence,
    amount,
    paid_on: dt.date,
    reference: str = "",
    proof=None,
    actor=None,
) -> OpenLicence:
    """The licensee reports its payment of the announced fee with proof (a bank slip);
    the licence takes effect when the patentee confirms it or staff accept the proof
    (``open_licence_confirm_payment``)."""
    if licence.status != OpenLicence.Status.NOTIFIED:
        raise OpenLicenceError(_("Payment is already recorded for this licence."))
    amount = Decimal(str(amount))
    declaration = licence.declaration
    if declaration.fee_lump_sum is not None and amount < declaration.fee_lump_sum:
        raise OpenLicenceError(
            _("The announced lump sum is %(v)s RMB; the payment falls short.")
            % {"v": declaration.fee_lump_sum}
        )
    if amount < 0:
        raise OpenLicenceError(_("The payment cannot be negative."))
    if paid_on < licence.notice_sent_on:
        raise OpenLicenceError(_("Payment cannot predate the written notice."))
    if proof is None:
        raise OpenLicenceError(_("Attach the proof of payment (a bank slip or receipt)."))
    try:
        licence.payment_proof_sha256 = document_sha256(proof)
    except ValidationError as exc:
        raise OpenLicenceError(exc.messages) from exc
    licence.payment_proof = proof
    licence.payment_amount = amount
    licence.paid_on = paid_on
    licence.payment_reference = reference
    licence.status = OpenLicence.Status.PAYMENT_REPORTED
    licence.save()
    return licence


def _licence_end(declaration: Declaration, start: dt.date) -> dt.date:
    """The term announced, capped at the patent's expiry."""
    end = start + relativedelta(years=declaration.term_years)
    expiry = patent_expiry(declaration.patent)
    return min(end, expiry) if expiry is not None else end


@transaction.atomic
def open_licence_confirm_payment(
    *, licence: OpenLicence, actor, as_staff: bool = False
) -> OpenLicence:
    """The patentee confirms the payment reached it, or centre staff accept the proof:
    the licence is concluded (art. 51), its deal is created and the 3-month filing
    window starts."""
    if licence.status != OpenLicence.Status.PAYMENT_REPORTED:
        raise OpenLicenceError(_("There is no reported payment to confirm."))
    declaration = licence.declaration
    if as_staff:
        if not is_line_staff(actor):
            raise OpenLicenceError(_("Only centre staff can accept a payment proof."))
    elif user_organization_id(actor) not in set(
        declaration.consents.values_list("organization_id", flat=True)
    ):
        raise OpenLicenceError(_("Only a patentee can confirm the payment."))
    paid_on = licence.paid_on
    assignor = declaration.consents.order_by("id").first().organization
    try:
        deal = deal_create(
            kind=Deal.Kind.OPEN_LICENCE,
            assignor=assignor,
            assignee=licence.licensee,
            patents=[declaration.patent],
            amount=licence.payment_amount,
            status=Deal.Status.SIGNED,
            signed_on=paid_on,
            starts_on=paid_on,
            ends_on=_licence_end(declaration, paid_on),
            title=_("Open licence of %(n)s") % {"n": declaration.patent.publication_number},
            programme_line=licence.programme_line,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            today=paid_on,
        )
    except TradingError as exc:
        raise OpenLicenceError(exc.messages) from exc
    licence.deal = deal
    licence.filing_due_on = paid_on + FILING_WINDOW
    licence.payment_confirmed_at = timezone.now()
    licence.payment_confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
    licence.payment_confirmed_as = "staff" if as_staff else "patentee"
    licence.status = OpenLicence.Status.IN_FORCE
    licence.save()
    return licence


@transaction.atomic
def open_licence_record_filing(
    *, licence: OpenLicence, filing_number: str, filed_on: dt.date, actor=None
) -> OpenLicence:
    if licence.status != OpenLicence.Status.IN_FORCE:
        raise OpenLicenceError(_("Only a paid, not yet filed licence can be filed."))
    if not filing_number.strip():
        raise OpenLicenceError(_("Enter the filing number."))
    licence.filing_number = filing_number.strip()
    licence.filed_on = filed_on
    licence.status = OpenLicence.Status.FILED
    licence.save()
    if licence.deal_id:
        from trading.services import deal_record

        deal_record(
            deal=licence.deal,
            recordal_number=licence.filing_number,
            recorded_on=filed_on,
            actor=actor,
        )
    return licence


def open_licence_send_reminders(*, today: dt.date | None = None) -> int:
    """Remind licensee and patentee members of filings due in 30 or 7 days,
    today, or overdue. Idempotent: each reminder is sent once (recorded)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(REMINDER_DAYS))
    sent = 0
    pending = OpenLicence.objects.filter(
        status=OpenLicence.Status.IN_FORCE, filing_due_on__lte=horizon
    ).select_related("declaration__patent", "licensee")
    for licence in pending:
        days_left = (licence.filing_due_on - today).days
        due_keys = [f"d{d}" for d in REMINDER_DAYS if days_left <= d]
        if days_left < 0:
            due_keys.append("overdue")
        # Only the most urgent reminder that applies; earlier ones are moot.
        key = due_keys[-1] if due_keys else None
        if key is None or key in licence.reminders_sent:
            continue
        org_ids = [
            licence.licensee_id,
            *licence.declaration.consents.values_list("organization_id", flat=True),
        ]
        emails = list(
            get_user_model()
            .objects.filter(profile__organization_id__in=org_ids, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if emails:
            send_mail(
                subject=_("Open licence filing due on %(d)s") % {"d": licence.filing_due_on},
                message=_(
                    "The open licence of patent %(n)s to %(l)s must be filed with CNIPA by %(d)s."
                )
                % {
                    "n": licence.declaration.patent.publication_number,
                    "l": licence.licensee.name,
                    "d": licence.filing_due_on,
                },
                from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
                recipient_list=emails,
            )
        licence.reminders_sent = [*licence.reminders_sent, key]
        licence.save(update_fields=["reminders_sent", "updated_at"])
        sent += 1
    return sent
