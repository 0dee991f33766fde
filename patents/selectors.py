"""Reads of the patent schema."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from .models import ImportJob, InventorMention, Organization, Patent, PatentApplicant


@dataclass(frozen=True, slots=True)
class CollectionSummary:
    patents: int
    organizations: int
    inventor_mentions: int


def patent_collection_summary() -> CollectionSummary:
    # Planner estimates would be cheaper at 100M rows; exact counts are fine
    # until the reporting issue adds cached aggregates.
    return CollectionSummary(
        patents=Patent.objects.count(),
        organizations=Organization.objects.count(),
        inventor_mentions=InventorMention.objects.count(),
    )


def patent_list() -> QuerySet[Patent]:
    return Patent.objects.order_by("-publication_date", "-id")


def patent_get(*, publication_number: str) -> Patent | None:
    """One patent with its applicants and inventors, in two extra queries."""
    return (
        Patent.objects.filter(publication_number=publication_number)
        .prefetch_related(
            Prefetch(
                "applicant_links",
                queryset=PatentApplicant.objects.select_related("organization__region"),
            ),
            "inventor_mentions",
        )
        .first()
    )


def import_job_get(*, job_id: int) -> ImportJob | None:
    return ImportJob.objects.filter(pk=job_id).first()


def organization_subclass_counts(*, organization_id: int, limit: int = 500) -> dict[str, int]:
    """Main IPC subclass → number of the organization's patents (its latest ``limit``).

    What the portal knows about an applicant before predicting a class for a new
    text of theirs (``patents.tagging.ipc_predict(priors=...)``).
    """
    counts: dict[str, int] = {}
    codes = (
        Patent.objects.filter(applicant_links__organization_id=organization_id)
        .exclude(main_ipc="")
        .order_by("-pk")
        .values_list("main_ipc", flat=True)[:limit]
    )
    for code in codes:
        subclass = code.replace(" ", "")[:4]
        if len(subclass) == 4:
            counts[subclass] = counts.get(subclass, 0) + 1
    return counts
