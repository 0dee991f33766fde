"""Demo open licences on the real patents and organizations already loaded:
one announced declaration taken up by an enterprise. Fees are demonstration
values. Runs after ``trading.demo``; idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from patents.models import Organization
from trading.demo import demo_holder_patents

from .models import Declaration
from .services import (
    declaration_announce,
    declaration_create,
    declaration_submit,
    open_licence_conclude,
    open_licence_record_payment,
)


def load_demo(*, stdout) -> None:
    if Declaration.objects.filter(source=Declaration.Source.LOCAL).exists():
        stdout.write("openlicense: demo already loaded")
        return
    candidates = [
        p
        for p in demo_holder_patents(10)[2:]  # trading's demo uses the first two
        if not p.open_licence_declarations.exists()
    ]
    licensee = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE).order_by("id").first()
    if not candidates or licensee is None:
        stdout.write(
            "openlicense: skipped - needs a third granted patent held by a university or "
            "institute and one enterprise among the loaded records"
        )
        return
    patent = candidates[0]
    today = timezone.localdate()
    patentees = [link.organization for link in patent.applicant_links.all()]
    declaration = declaration_create(
        patent=patent,
        consenting=patentees,
        fee_lump_sum=20000,
        royalty_rate="0.03",
        royalty_base=Declaration.RoyaltyBase.SALES,
        payment_method=Declaration.PaymentMethod.LUMP_PLUS_ROYALTY,
        term_years=3,
        declared_on=today - dt.timedelta(days=20),
    )
    declaration_submit(declaration=declaration)
    declaration_announce(declaration=declaration, announced_on=today - dt.timedelta(days=10))
    if licensee in patentees:
        stdout.write("openlicense: 1 announced open licence")
        return
    licence = open_licence_conclude(
        declaration=declaration, licensee=licensee, notice_sent_on=today
    )
    open_licence_record_payment(licence=licence, amount=20000, paid_on=today, reference="DEMO")
    stdout.write("openlicense: 1 announced open licence, 1 licence concluded and paid")
