"""Factories of trading records on top of the shared ones (real titles and numbers)."""

from __future__ import annotations

import datetime as dt

from patents.models import LegalStatus, Organization, PatentType
from tests.factories import OrganizationFactory, PatentApplicantFactory, PatentFactory


def granted_patent(**kwargs):
    defaults = {
        "legal_status": LegalStatus.GRANTED,
        "patent_type": PatentType.INVENTION,
        "application_date": dt.date(2021, 11, 10),
        "grant_date": dt.date(2023, 5, 5),
        "claim_count": 8,
    }
    defaults.update(kwargs)
    holder = defaults.pop("holder", None)
    patent = PatentFactory(**defaults)
    if holder is not None:
        PatentApplicantFactory(patent=patent, organization=holder, sequence=0)
    return patent


def university(**kwargs):
    return OrganizationFactory(kind=Organization.Kind.UNIVERSITY, **kwargs)


def enterprise(**kwargs):
    kwargs.setdefault("name", "山东黄河河务局供水局")
    return OrganizationFactory(kind=Organization.Kind.ENTERPRISE, **kwargs)
