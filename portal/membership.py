"""Who may act for an organization: membership is earned, never claimed.

A new account joins an existing ``patents.Organization`` only

* with an invitation code from the organization's administrator (or centre staff):
  ``invitation_create`` / ``membership_join_by_invitation``; or
* after centre staff approve a ``MembershipRequest`` on its evidence (a business
  licence upload): ``membership_request_create`` / ``membership_request_decide``.

A name or a credit code typed at registration never attaches anyone to an
existing organization (matching's ``enterprise_register`` routes such claims
here), and a code is written onto an organization only when staff approve the
evidence for it. The first member whose membership is verified becomes the
organization's administrator; administrators invite and remove members.

Every change is audited (``portal.audit``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .models import MembershipRequest, OrganizationInvitation, UserProfile
from .roles import is_centre_staff, reset_role_cache
from .uploads import DOCUMENT, validate_upload

INVITATION_DAYS = 14

ACTION_INVITED = "membership.invited"
ACTION_JOINED = "membership.joined_by_invitation"
ACTION_REQUESTED = "membership.requested"
ACTION_APPROVED = "membership.approved"
ACTION_REJECTED = "membership.rejected"
ACTION_REMOVED = "membership.removed"


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _profile(user) -> UserProfile:
    profile, _created = UserProfile.objects.get_or_create(user=user)
    return profile


def is_organization_admin(user, organization_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False) or organization_id is None:
        return False
    return UserProfile.objects.filter(
        user=user, organization_id=organization_id, is_organization_admin=True
    ).exists()


def _may_manage(user, organization) -> bool:
    return is_centre_staff(user) or is_organization_admin(user, organization.pk)


def invitation_create(
    *, organization, created_by, request=None
) -> tuple[OrganizationInvitation, str]:
    """A one-time invitation code for ``organization`` (shown once, stored hashed)."""
    if not _may_manage(created_by, organization):
        raise PermissionDenied(_("Only the organization's administrator may invite members."))
    code = secrets.token_urlsafe(12).upper().replace("-", "X").replace("_", "Y")
    invitation = OrganizationInvitation.objects.create(
        organization=organization,
        code_hash=_hash(code),
        created_by=created_by,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_record(actor=created_by, action=ACTION_INVITED, target=organization, request=request)
    return invitation, code


@transaction.atomic
def membership_join_by_invitation(*, user, code: str, request=None) -> UserProfile:
    """Attach ``user`` to the organization of a valid, unused invitation."""
    invitation = (
        OrganizationInvitation.objects.select_for_update()
        .filter(code_hash=_hash(code or ""))
        .select_related("organization")
        .first()
    )
    if invitation is None or invitation.accepted_at is not None:
        raise ValidationError(_("This invitation code is not valid or was already used."))
    if invitation.expires_at < timezone.now():
        raise ValidationError(
            _("This invitation code has expired. Ask the administrator for a new one.")
        )
    profile = _profile(user)
    profile.organization = invitation.organization
    profile.membership_verified_at = timezone.now()
    profile.is_organization_admin = False
    profile.save(update_fields=["organization", "membership_verified_at", "is_organization_admin"])
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    reset_role_cache(user)
    audit_record(
        actor=user,
        action=ACTION_JOINED,
        target=invitation.organization,
        details={"invitation": invitation.pk},
        request=request,
    )
    return profile


def membership_request_create(
    *, user, organization, claimed_uscc: str = "", evidence=None, request=None
) -> MembershipRequest:
    """Ask the centre to verify that ``user`` acts for ``organization``."""
    if evidence is None:
        raise ValidationError(
            _(
                "This organization already has an account on the portal. Upload its business "
                "licence so the centre can verify you, or ask its administrator for an "
                "invitation code."
            )
        )
    validate_upload(evidence, kind=DOCUMENT)
    claim = MembershipRequest(
        user=user,
        organization=organization,
        claimed_uscc=(claimed_uscc or "").strip().upper()[:18],
        evidence_name=(getattr(evidence, "name", "") or "")[:255],
    )
    claim.evidence.save(evidence.name, evidence, save=False)
    claim.save()
    audit_record(actor=user, action=ACTION_REQUESTED, target=organization, request=request)
    return claim


@transaction.atomic
def membership_request_decide(
    *, claim: MembershipRequest, decided_by, approve: bool, note: str = "", request=None
) -> MembershipRequest:
    """Centre staff approve or reject a membership claim on its evidence."""
    if not is_centre_staff(decided_by):
        raise PermissionDenied(_("Only centre staff decide membership requests."))
    claim = MembershipRequest.objects.select_for_update().get(pk=claim.pk)
    if claim.status != MembershipRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided."))
    if not approve and not note.strip():
        raise ValidationError(_("Say why the request is rejected: the applicant sees this note."))
    now = timezone.now()
    claim.status = (
        MembershipRequest.Status.APPROVED if approve else MembershipRequest.Status.REJECTED
    )
    claim.decided_by = decided_by
    claim.decided_at = now
    claim.decision_note = note.strip()
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    details = {"request": claim.pk}
    if approve:
        organization = claim.organization
        has_admin = UserProfile.objects.filter(
            organization=organization, is_organization_admin=True
        ).exists()
        profile = _profile(claim.user)
        profile.organization = organization
        profile.membership_verified_at = now
        # The first verified member administers the organization.
        profile.is_organization_admin = profile.is_organization_admin or not has_admin
        profile.save(
            update_fields=["organization", "membership_verified_at", "is_organization_admin"]
        )
        details["organization_admin"] = profile.is_organization_admin
        reset_role_cache(claim.user)
        # The credit code on the verified licence is written only now, only onto an
        # organization without one, and only if no other organization holds it.
        if claim.claimed_uscc and not organization.uscc:
            holder = type(organization).objects.filter(uscc=claim.claimed_uscc).first()
            if holder is None:
                organization.uscc = claim.claimed_uscc
                organization.save(update_fields=["uscc", "updated_at"])
                details["uscc_recorded"] = True
    audit_record(
        actor=decided_by,
        action=ACTION_APPROVED if approve else ACTION_REJECTED,
        target=claim.user,
        details=details,
        request=request,
    )
    return claim


@transaction.atomic
def membership_remove(*, member, removed_by, request=None) -> None:
    """An organization's administrator (or staff) removes a member."""
    profile = UserProfile.objects.select_related("organization").filter(user=member).first()
    if profile is None or profile.organization is None:
        raise ValidationError(_("This user is not a member of an organization."))
    organization = profile.organization
    if not _may_manage(removed_by, organization):
        raise PermissionDenied(_("Only the organization's administrator may remove members."))
    if member.pk == removed_by.pk:
        raise ValidationError(_("You cannot remove yourself."))
    profile.organization = None
    profile.is_organization_admin = False
    profile.membership_verified_at = None
    profile.save(update_fields=["organization", "is_organization_admin", "membership_verified_at"])
    reset_role_cache(member)
    audit_record(
        actor=removed_by,
        action=ACTION_REMOVED,
        target=member,
        details={"organization": organization.pk},
        request=request,
    )
