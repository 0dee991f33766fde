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
from portal.models import UserProfile
from portal.roles import Role

from ..models import NeedAttachment, TechNeed

User = get_user_model()

# Attachments: the types a need reasonably comes with, recognised by their
# first bytes (the browser's content type and the name are not trusted).
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
_MAGIC = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    # OOXML (docx/xlsx/pptx) are zip files.
    (b"PK\x03\x04", "application/zip", ".docx"),
    # Legacy Office (doc/xls) compound file.
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage", ".doc"),
)
_ALLOWED_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".pptx", ".doc", ".xls"}


def attachment_check(upload: UploadedFile) -> str:
    """The detected content type of ``upload``; ``ValidationError`` when refused."""
    name = (upload.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in _ALLOWED_SUFFIXES:
        raise ValidationError(
            _("%(name)s: only PDF, images (PNG, JPEG) and Office documents are accepted.")
            % {"name": upload.name}
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": upload.name, "limit": ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, _suffix in _MAGIC:
        if head.startswith(magic):
            return content_type
    raise ValidationError(
        _("%(name)s does not look like the file type its name claims.") % {"name": upload.name}
    )


@dataclass(frozen=True, slots=True)
class EnterpriseRegistration:
    username: str
    password: str
    email: str
    organization_name: str
    uscc: str
    contact_name: str
    mobile: str


@transaction.atomic
def enterprise_register(*, registration: EnterpriseRegistration):
    """Create the user, link it to its organization (found by USCC or name)."""
    uscc = registration.uscc.strip().upper()
    validate_uscc(uscc)
    organization = Organization.objects.filter(uscc=uscc).first()
    if organization is None:
        normalized = normalize_organization_name(registration.organization_name)
        organization = Organization.objects.filter(normalized_name=normalized).first()
        if organization is not None and organization.uscc and organization.uscc != uscc:
            raise ValidationError(
                _("An organization of this name is registered with another credit code.")
            )
        if organization is None:
            organization = Organization.objects.create(
                name=registration.organization_name.strip(),
                normalized_name=normalized,
                kind=Organization.Kind.ENTERPRISE,
                country="CN",
                uscc=uscc,
            )
        else:
            organization.uscc = uscc
            organization.save(update_fields=["uscc", "updated_at"])
    user = User.objects.create_user(
        username=registration.username,
        email=registration.email,
        password=registration.password,
        first_name=registration.contact_name[:150],
    )
    user.groups.add(Group.objects.get_or_create(name=Role.ENTERPRISE.value)[0])
    UserProfile.objects.update_or_create(
        user=user, defaults={"organization": organization, "mobile": registration.mobile}
    )
    return user


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
    from ..tasks import need_tag_task

    transaction.on_commit(lambda: need_tag_task.delay(need.pk))


def _enqueue_rematch(need: TechNeed) -> None:
    """The stored match list follows the published need (``services.stored``)."""
    from ..tasks import need_rematch_task

    transaction.on_commit(lambda: need_rematch_task.delay(need.pk))


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
