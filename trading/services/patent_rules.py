"""Whether a patent can be traded on a given day."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from patents.models import LegalStatus, Patent, PatentType

# Terms of protection from the filing date (Patent Law art. 42, as amended 2020:
# designs filed from 2021-06-01 run 15 years).
DESIGN_15_YEARS_FROM = dt.date(2021, 6, 1)


def patent_expiry(patent: Patent) -> dt.date | None:
    if not patent.application_date:
        return None
    if patent.patent_type == PatentType.INVENTION:
        years = 20
    elif patent.patent_type == PatentType.UTILITY_MODEL:
        years = 10
    elif patent.patent_type == PatentType.DESIGN:
        years = 15 if patent.application_date >= DESIGN_15_YEARS_FROM else 10
    else:
        return None
    start = patent.application_date
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def patent_remaining_years(patent: Patent, *, on: dt.date) -> float | None:
    expiry = patent_expiry(patent)
    if expiry is None:
        return None
    return max(0.0, (expiry - on).days / 365.25)


def patent_trade_refusal(patent: Patent, *, on: dt.date, licence: bool) -> str | None:
    """Why ``patent`` cannot be transferred or licensed on ``on``, or None."""
    number = patent.publication_number
    if patent.legal_status in (LegalStatus.LAPSED, LegalStatus.WITHDRAWN, LegalStatus.REJECTED):
        return _("Patent %(number)s is %(status)s and cannot be traded.") % {
            "number": number,
            "status": patent.get_legal_status_display(),
        }
    expiry = patent_expiry(patent)
    if expiry is not None and expiry <= on:
        return _("Patent %(number)s expired on %(date)s and cannot be traded.") % {
            "number": number,
            "date": expiry.isoformat(),
        }
    if licence and patent.legal_status != LegalStatus.GRANTED:
        return _(
            "Patent %(number)s is not granted and in force; only a granted patent can be licensed."
        ) % {"number": number}
    return None
