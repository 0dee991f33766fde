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
