"""Enterprise accounts and the life of a technology need: submit, review, publish."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization
from patents.normalize import normalize_organization_name
from patents.validators import validate_uscc
from portal.audit import audit_record
from portal.background import task_enqueue
from portal.models import UserProfile
from portal.roles import Role
from portal.uploads import NEED_ATTACHMENT, upload_content_type, validate_upload

from ..models import NeedAttachment, TechNeed

User = get_user_model()


def attachment_check(upload: UploadedFile) -> str:
    """The content type read from ``upload``'s first bytes after
    ``portal.uploads.validate_upload`` accepted it; ``ValidationError`` naming
    the file when refused."""
    try:
        validate_upload(upload, kind=NEED_ATTACHMENT)
    except ValidationError as error:
        raise ValidationError(
            [f"{upload.name}: {message}" for message in error.messages]
        ) from error
    return upload_content_type(upload)


@dataclass(frozen=True, slots=True)
class EnterpriseRegistration:
    username: str
    password: str
    email: str
    organization_name: str
    uscc: str
    contact_name: str
    mobile: str
    # An administrator's invitation code, or a business licence for the centre to verify.
    invitation_code: str = ""
    evidence: UploadedFile | None = None


class RegistrationOutcome:
    JOINED = "joined"  # by invitation: acts for the organization at once
    NEW_ORGANIZATION = "new_organization"  # a new organization, verification pending
    AWAITING_APPROVAL = "awaiting_approval"  # an existing organization: staff decide


@dataclass(frozen=True, slots=True)
class RegistrationResult:
    user: object
    outcome: str
    organization: Organization | None


@transaction.atomic
def enterprise_register(*, registration: EnterpriseRegistration) -> RegistrationResult:
    """Create the user; membership of an existing organization must be earned.

    With an invitation code the user joins its organization. Otherwise a credit
    code or name that matches an existing organization never attaches the user:
    a membership request with the business licence goes to centre staff
    (portal.membership). A new organization is created for a name and code
    nobody holds; its registrant acts for it at once and becomes its
    administrator when the centre verifies the licence.
    """
    from portal.membership import membership_join_by_invitation, membership_request_create

    user = User.objects.create_user(
        username=registration.username,
        email=registration.email,
        password=registration.password,
        first_name=registration.contact_name[:150],
    )
    user.groups.add(Group.objects.get_or_create(name=Role.ENTERPRISE.value)[0])
    profile, _created = UserProfile.objects.update_or_create(
        user=user, defaults={"mobile": registration.mobile}
    )
    if registration.invitation_code.strip():
        profile = membership_join_by_invitation(user=user, code=registration.invitation_code)
        return RegistrationResult(user, RegistrationOutcome.JOINED, profile.organization)
    uscc = registration.uscc.strip().upper()
    validate_uscc(uscc)
    normalized = normalize_organization_name(registration.organization_name)
    existing = (
        Organization.objects.filter(uscc=uscc).first()
        or Organization.objects.filter(normalized_name=normalized).first()
    )
    if existing is not None:
        membership_request_create(
            user=user, organization=existing, claimed_uscc=uscc, evidence=registration.evidence
        )
        return RegistrationResult(user, RegistrationOutcome.AWAITING_APPROVAL, None)
    organization = Organization.objects.create(
        name=registration.organization_name.strip(),
        normalized_name=normalized,
        kind=Organization.Kind.ENTERPRISE,
        country="CN",
        uscc=uscc,
    )
    profile.organization = organization
    profile.save(update_fields=["organization"])
    if registration.evidence is not None:
        membership_request_create(
            user=user, organization=organization, claimed_uscc=uscc, evidence=registration.evidence
        )
    return RegistrationResult(user, RegistrationOutcome.NEW_ORGANIZATION, organization)


@transaction.atomic
def need_submit(
    *,
    organization: Organization,
    fields: dict,
    attachments: list[UploadedFile] = (),
    created_by=None,
    source: str = TechNeed.Source.FORM,
) -> TechNeed:
    need = TechNeed(organization=organization, created_by=created_by, source=source, **fields)
    need.full_clean()
    need.save()
    for upload in attachments:
        content_type = attachment_check(upload)
        NeedAttachment.objects.create(
            need=need,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
        )
    _enqueue_tagging(need)
    return need


@transaction.atomic
def need_update(*, need: TechNeed, fields: dict) -> TechNeed:
    """The enterprise edits a returned need; it goes back to review."""
    for key, value in fields.items():
        setattr(need, key, value)
    need.status = TechNeed.Status.SUBMITTED
    need.full_clean()
    need.save()
    _enqueue_tagging(need)
    return need


def _enqueue_tagging(need: TechNeed) -> None:
    task_enqueue("matching.tasks.need_tag_task", need_id=need.pk)


def _enqueue_rematch(need: TechNeed) -> None:
    """The stored match list follows the published need (``services.stored``)."""
    task_enqueue("matching.tasks.need_rematch_task", need_id=need.pk)


class ReviewDecision:
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    ALL = (APPROVE, RETURN, REJECT)


@transaction.atomic
def need_review(*, need: TechNeed, decision: str, reviewer, note: str = "") -> TechNeed:
    if decision not in ReviewDecision.ALL:
        raise ValidationError(_("Unknown review decision."))
    if need.status not in (TechNeed.Status.SUBMITTED, TechNeed.Status.RETURNED):
        raise ValidationError(_("Only needs awaiting review can be reviewed."))
    if decision in (ReviewDecision.RETURN, ReviewDecision.REJECT) and not note.strip():
        raise ValidationError(_("Say why: the enterprise sees this note."))
    now = timezone.now()
    need.reviewed_by = reviewer
    need.reviewed_at = now
    need.review_note = note.strip()
    if decision == ReviewDecision.APPROVE:
        need.status = TechNeed.Status.PUBLISHED
        need.published_at = now
    elif decision == ReviewDecision.RETURN:
        need.status = TechNeed.Status.RETURNED
    else:
        need.status = TechNeed.Status.REJECTED
    need.save()
    # Audited here, not in a view: the staff page and the API record the same event.
    audit_record(
        actor=reviewer,
        action="matching.need_review",
        target=need,
        details={"decision": decision, "status": need.status},
    )
    if need.status == TechNeed.Status.PUBLISHED:
        _enqueue_rematch(need)
    return need


def need_tag(*, need_id: int) -> TechNeed | None:
    """Deep tagging of one need: predicted IPC subclasses, keywords, embedding.

    Idempotent: recomputes from the current text.
    """
    from patents.tagging import ipc_predict, keywords_extract

    from ..embeddings import embed_texts, vector_to_bytes

    need = TechNeed.objects.filter(pk=need_id).first()
    if need is None:
        return None
    labels = ipc_predict(texts=[need.text], top=5)[0]
    need.predicted_ipc = [[code, round(score, 4)] for code, score in labels]
    need.keywords = keywords_extract(text=need.text, top=10)
    vector = embed_texts([need.text], query=True)
    need.embedding = vector_to_bytes(vector[0]) if vector is not None else None
    TechNeed.objects.filter(pk=need.pk).update(
        predicted_ipc=need.predicted_ipc, keywords=need.keywords, embedding=need.embedding
    )
    if need.status == TechNeed.Status.PUBLISHED:
        _enqueue_rematch(need)  # new tags: the stored list was computed from the old ones
    return need


def need_close_expired(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return TechNeed.objects.filter(status=TechNeed.Status.PUBLISHED, deadline__lt=today).update(
        status=TechNeed.Status.CLOSED
    )
