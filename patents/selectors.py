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


@dataclass(frozen=True, slots=True)
class RegionCoverage:
    """How many patents have a region (their first applicant's), and why the others do not."""

    total: int
    with_region: int
    no_applicant: int
    abroad: int
    individual_without_address: int
    organization_unplaced: int

    @property
    def without_region(self) -> int:
        return self.total - self.with_region


def region_coverage(*, country: str | None = None) -> RegionCoverage:
    """Counts for ``region_coverage`` (the command and the navigation index).

    A patent's region is its first applicant's; without one the reason is the
    first that applies: no applicant recorded, an applicant abroad, a person
    with no address on record, or an organization whose address and name name
    no place this portal knows.
    """
    from django.db.models import Count, OuterRef, Q, Subquery

    first = PatentApplicant.objects.filter(patent=OuterRef("pk"), sequence=0)
    qs = Patent.objects.all()
    if country:
        qs = qs.filter(country=country)
    qs = qs.annotate(
        first_org=Subquery(first.values("organization_id")[:1]),
        first_region=Subquery(first.values("organization__region_id")[:1]),
        first_country=Subquery(first.values("organization__country")[:1]),
        first_kind=Subquery(first.values("organization__kind")[:1]),
    )
    placed = Q(first_region__isnull=False)
    missing = Q(first_org__isnull=True)
    abroad = ~placed & ~missing & (~Q(country="CN") | ~Q(first_country__in=("", "CN")))
    individual = ~placed & ~missing & ~abroad & Q(first_kind=Organization.Kind.INDIVIDUAL)
    counts = qs.aggregate(
        total=Count("pk"),
        with_region=Count("pk", filter=placed),
        no_applicant=Count("pk", filter=~placed & missing),
        abroad=Count("pk", filter=abroad),
        individual=Count("pk", filter=individual),
    )
    unplaced = (
        counts["total"]
        - counts["with_region"]
        - counts["no_applicant"]
        - counts["abroad"]
        - counts["individual"]
    )
    return RegionCoverage(
        total=counts["total"],
        with_region=counts["with_region"],
        no_applicant=counts["no_applicant"],
        abroad=counts["abroad"],
        individual_without_address=counts["individual"],
        organization_unplaced=unplaced,
    )


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
