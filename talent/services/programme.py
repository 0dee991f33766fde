"""Supply directory, training and talent + patent projects."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization, Patent

from ..models import Enrollment, SupplyItem, Talent, TalentProject, TalentProjectStep


@transaction.atomic
def supply_item_create(
    *,
    patent: Patent,
    kind: str,
    holder: Organization | None = None,
    summary: str = "",
    source: str = SupplyItem.Source.MANUAL,
    source_object_id: int | None = None,
    publish: bool = True,
) -> SupplyItem:
    """Offer a patent, tied to the talents who invented it. Idempotent per source object."""
    if source_object_id is not None:
        existing = SupplyItem.objects.filter(
            source=source, source_object_id=source_object_id
        ).first()
        if existing:
            return existing
    if holder is None:
        link = patent.applicant_links.select_related("organization").first()
        holder = link.organization if link else None
    item = SupplyItem.objects.create(
        patent=patent,
        kind=kind,
        holder=holder,
        title=patent.title[:255],
        summary=summary,
        source=source,
        source_object_id=source_object_id,
    )
    item.talents.set(
        Talent.objects.filter(links__mention__patent=patent, suppressed=False).distinct()
    )
    if publish:
        supply_item_publish(item=item)
    return item


def supply_item_publish(*, item: SupplyItem) -> SupplyItem:
    if item.status != SupplyItem.Status.PUBLISHED:
        item.status, item.published_at = SupplyItem.Status.PUBLISHED, timezone.now()
        item.save(update_fields=["status", "published_at"])
    return item


def enrollment_assess(*, enrollment: Enrollment, attended: bool, score: int | None) -> Enrollment:
    if score is not None and not 0 <= score <= 100:
        raise ValidationError(_("The assessment score must be between 0 and 100."))
    enrollment.attended = attended
    enrollment.assessment_score = score
    enrollment.passed = bool(
        attended and score is not None and score >= enrollment.session.course.pass_mark
    )
    enrollment.save(update_fields=["attended", "assessment_score", "passed"])
    return enrollment


def certificate_issue(*, enrollment: Enrollment) -> bytes:
    """Number the certificate (once) and render it as PDF with WeasyPrint."""
    if not enrollment.passed:
        raise ValidationError(_("Only trainees who attended and passed receive a certificate."))
    if not enrollment.certificate_number:
        session = enrollment.session
        enrollment.certificate_number = (
            f"SDTT-{session.ends_on:%Y}-{session.pk:04d}-{enrollment.pk:05d}"
        )
        enrollment.certificate_issued_at = timezone.now()
        enrollment.save(update_fields=["certificate_number", "certificate_issued_at"])
    from weasyprint import HTML

    html = render_to_string("talent/certificate.html", {"enrollment": enrollment})
    return HTML(string=html).write_pdf()


_STAGE_ORDER = [s.value for s in TalentProject.Stage if s != TalentProject.Stage.DROPPED]


@transaction.atomic
def talent_project_advance(
    *, project: TalentProject, stage: str, happened_on: dt.date, note: str = "", **facts
) -> TalentProject:
    """Record the next stage; landing needs the company, investment and patents."""
    if project.stage == TalentProject.Stage.DROPPED:
        raise ValidationError(_("This project was dropped."))
    if stage != TalentProject.Stage.DROPPED and _STAGE_ORDER.index(stage) < _STAGE_ORDER.index(
        project.stage
    ):
        raise ValidationError(_("A project cannot go back to an earlier stage."))
    for key in ("company", "company_registered_on", "investment_rmb", "patents_transferred"):
        if key in facts:
            setattr(project, key, facts[key])
    if stage == TalentProject.Stage.COMPANY_REGISTERED and not (
        project.company_id and project.company_registered_on
    ):
        raise ValidationError(_("Give the registered company and its registration date."))
    if stage == TalentProject.Stage.LANDED and not (
        project.investment_rmb and project.patents_transferred
    ):
        raise ValidationError(_("Landing needs the investment amount and the patents transferred."))
    project.stage = stage
    project.save()
    if "deals" in facts:
        project.deals.add(*facts["deals"])
    TalentProjectStep.objects.create(
        project=project, stage=stage, happened_on=happened_on, note=note
    )
    return project
