"""Demo open licence on the real patents and organizations already loaded: one draft
declaration awaiting its co-owners' written consents (nothing the law requires is
invented). Fees are demonstration values. Runs after ``trading.demo``; idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from patents.models import Organization
from trading.demo import demo_holder_patents

from .models import Declaration
from .services import declaration_create


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
    # A draft only (issue 15): consent needs each co-owner's signed document, "in force"
    # needs CNIPA's announcement number and date, and a concluded licence needs a
    # delivered notice and a confirmed payment. The demo invents none of them.
    declaration_create(
        patent=patent,
        fee_lump_sum=20000,
        royalty_rate="0.03",
        royalty_base=Declaration.RoyaltyBase.SALES,
        payment_method=Declaration.PaymentMethod.LUMP_PLUS_ROYALTY,
        term_years=3,
        declared_on=today - dt.timedelta(days=20),
    )
    stdout.write(
        "openlicense: 1 draft declaration (attach the co-owners' written consents, then "
        "submit; record CNIPA's announcement to put it in force)"
    )
