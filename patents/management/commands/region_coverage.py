"""python manage.py region_coverage [--country CN]

How many patents have a region (their first applicant's) and why the others
do not: the evidence the navigation's regional figures stand on.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from patents.selectors import region_coverage


class Command(BaseCommand):
    help = "Count patents with a region and the reasons the others have none."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--country", default=None, help="only this office, e.g. CN")

    def handle(self, *args, **opts) -> None:
        c = region_coverage(country=opts["country"])
        share = (100 * c.with_region / c.total) if c.total else 0
        lines = [
            f"patents: {c.total}",
            f"with a region: {c.with_region} ({share:.1f}%)",
            f"without: {c.without_region}",
            f"  no applicant recorded: {c.no_applicant}",
            f"  applicant abroad: {c.abroad}",
            f"  individual applicant, no address on record: {c.individual_without_address}",
            f"  organization whose address and name name no known place: {c.organization_unplaced}",
        ]
        self.stdout.write("\n".join(lines))
