"""PIPL controls: consent for anything beyond published patent data, objections
that staff act on (and that survive re-imports), and an access audit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import AuditAction, audit_record

from ..models import ConsentRecord, Objection, ProfileAccess, Talent, TalentConstraint, TalentLink
from .corrections import _pin


def _active_consent(talent: Talent, scope: str) -> bool:
    return talent.consents.filter(scope=scope, withdrawn_at__isnull=True).exists()


def consent_record(*, talent: Talent, scope: str, evidence: str, user=None) -> ConsentRecord:
    if not evidence.strip():
        raise ValidationError(_("Say where the consent is recorded (signed form, email, ...)."))
    return ConsentRecord.objects.create(
        talent=talent,
        scope=scope,
        evidence=evidence.strip(),
        given_at=timezone.now(),
        recorded_by=user,
    )


@transaction.atomic
def consent_withdraw(*, talent: Talent, scope: str, user=None) -> int:
    """Withdraw consent; the data it covered is erased at once."""
    n = talent.consents.filter(scope=scope, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if scope == ConsentRecord.Scope.CONTACT:
        talent.contact_email = talent.contact_phone = ""
    else:
        talent.biography = ""
    talent.save(update_fields=["contact_email", "contact_phone", "biography", "updated_at"])
    return n


def talent_contact_set(
    *, talent: Talent, email: str = "", phone: str = "", biography: str | None = None
) -> Talent:
    """Store contact details / biography only under an active consent."""
    if (email or phone) and not _active_consent(talent, ConsentRecord.Scope.CONTACT):
        raise ValidationError(_("Record the person's consent before storing contact details."))
    if biography and not _active_consent(talent, ConsentRecord.Scope.PROFILE):
        raise ValidationError(_("Record the person's consent before adding a biography."))
    talent.contact_email, talent.contact_phone = email, phone
    if biography is not None:
        talent.biography = biography
    talent.save(update_fields=["contact_email", "contact_phone", "biography", "updated_at"])
    return talent


def objection_submit(
    *, talent: Talent, requester_name: str, requester_contact: str, message: str
) -> Objection:
    if not (requester_name.strip() and requester_contact.strip() and message.strip()):
        raise ValidationError(_("Give your name, how to reach you and what should change."))
    return Objection.objects.create(
        talent=talent,
        requester_name=requester_name.strip(),
        requester_contact=requester_contact.strip(),
        message=message.strip(),
    )


@transaction.atomic
def objection_decide(*, objection: Objection, uphold: bool, note: str = "", user=None) -> Objection:
    """Uphold: the profile is withdrawn, contact data erased, and every mention
    pinned to the talent so re-runs and re-imports keep it withdrawn."""
    if objection.status != Objection.Status.RECEIVED:
        raise ValidationError(_("This objection has already been decided."))
    objection.status = Objection.Status.UPHELD if uphold else Objection.Status.REJECTED
    objection.decision_note, objection.handled_by, objection.handled_at = note, user, timezone.now()
    objection.save()
    if uphold:
        talent = objection.talent
        talent.suppressed = True
        talent.contact_email = talent.contact_phone = talent.biography = ""
        talent.save()
        mention_ids = list(
            TalentLink.objects.filter(talent=talent).values_list("mention_id", flat=True)
        )
        _pin(
            mention_ids=mention_ids,
            talent=talent,
            kind=TalentConstraint.Kind.OBJECTION,
            user=user,
            reason=f"objection #{objection.pk}",
        )
    return objection


def profile_access_record(
    *, talent: Talent, user, action: str, ip_address: str | None = None
) -> None:
    """Log a read or export of a profile: talent's own access log (shown with the
    profile) and the portal audit trail the audit administrator searches."""
    ProfileAccess.objects.create(
        talent=talent,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        ip_address=ip_address,
    )
    audit_record(
        actor=user,
        action=(
            AuditAction.EXPORTED
            if action == ProfileAccess.Action.EXPORT
            else AuditAction.PERSONAL_DATA_VIEWED
        ),
        target=talent,
    )
