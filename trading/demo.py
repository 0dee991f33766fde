"""Demo records of the trading hub, built on the real patents and organizations
already loaded. Every figure the parties would negotiate (prices, amounts,
dates) is a demonstration value and the records say so in their text; no
patent, organization or policy is invented. Idempotent: runs once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db.models import Exists, OuterRef
from django.utils import timezone

from patents.models import LegalStatus, Organization, Patent, PatentApplicant

from .models import Listing
from .services import (
    deal_create,
    deal_sign,
    income_valuation_create,
    listing_create,
    listing_publish,
    listing_review,
    listing_submit,
    milestone_add,
    milestone_confirm,
    milestone_mark_paid,
)

DEMO_NOTE = "【演示数据】"


def demo_holder_patents(limit: int):
    """Granted patents whose recorded applicant is a university or institute."""
    holders = PatentApplicant.objects.filter(
        patent=OuterRef("pk"),
        organization__kind__in=[Organization.Kind.UNIVERSITY, Organization.Kind.INSTITUTE],
    )
    return list(
        Patent.objects.filter(legal_status=LegalStatus.GRANTED)
        .filter(Exists(holders))
        .order_by("publication_number")[:limit]
    )


def _holder(patent: Patent) -> Organization:
    return (
        patent.applicant_links.filter(
            organization__kind__in=[Organization.Kind.UNIVERSITY, Organization.Kind.INSTITUTE]
        )
        .order_by("sequence")
        .first()
        .organization
    )


POLICY_SEED = Path(__file__).resolve().parent / "demo_data" / "policies_national.json"


def load_demo(*, stdout) -> None:
    from .services.policies import policy_import

    report = policy_import(content=POLICY_SEED.read_bytes(), fmt="json")
    stdout.write(
        f"trading: policies +{report.created} ~{report.updated} ={report.unchanged}"
        f" errors {len(report.errors)}"
    )
    if Listing.objects.filter(description__startswith=DEMO_NOTE).exists():
        stdout.write("trading: demo already loaded")
        return
    patents = demo_holder_patents(3)
    buyer = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE).order_by("id").first()
    if len(patents) < 2 or buyer is None:
        stdout.write(
            "trading: skipped - needs two granted patents held by a university or institute "
            "and one enterprise among the loaded records"
        )
        return
    today = timezone.localdate()
    # 1. A listing taken through review and a completed public notice to a deal.
    first = patents[0]
    holder = _holder(first)
    listing = listing_create(
        holder=holder,
        title=f"{first.title} 专利转让",
        subject=Listing.Subject.PATENT,
        purpose=Listing.Purpose.TRANSFER,
        patents=[first],
        asking_price=500000,
        description=f"{DEMO_NOTE}挂牌价格与交易金额为演示数值。",
    )
    listing_submit(listing=listing)
    listing_review(listing=listing, approve=True, today=today - dt.timedelta(days=30))
    listing_publish(listing=listing, today=today)
    income_valuation_create(
        listing=listing,
        revenue_forecast=[1000000, 1200000, 1500000, 1500000, 1500000],
        royalty_share="0.25",
        discount_rate="0.12",
        remaining_years=5,
    )
    deal = deal_create(
        kind="transfer",
        assignor=holder,
        assignee=buyer,
        patents=[first],
        amount=480000,
        listing=listing,
        title=listing.title,
    )
    deal_sign(deal=deal, signed_on=today, contract_number="DEMO-0001")
    deposit = milestone_add(deal=deal, kind="deposit", amount=96000, due_on=today)
    milestone_add(
        deal=deal, kind="final_payment", amount=384000, due_on=today + dt.timedelta(days=60)
    )
    milestone_mark_paid(milestone=deposit, paid_on=today, reference="DEMO")
    milestone_confirm(milestone=deposit)
    # 2. A listing still in its public notice.
    second = patents[1]
    notice = listing_create(
        holder=_holder(second),
        title=f"{second.title} 专利许可",
        subject=Listing.Subject.PATENT,
        purpose=Listing.Purpose.LICENCE,
        patents=[second],
        asking_price=200000,
        description=f"{DEMO_NOTE}挂牌价格为演示数值。",
    )
    listing_submit(listing=notice)
    listing_review(listing=notice, approve=True, today=today)
    stdout.write("trading: 2 listings (1 listed and sold, 1 in public notice), 1 deal")
