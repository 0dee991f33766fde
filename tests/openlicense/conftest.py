import datetime as dt

import pytest

from openlicense.services import declaration_announce, declaration_create, declaration_submit
from tests.factories import written_document
from tests.trading.factories import enterprise, granted_patent, university


@pytest.fixture
def holder():
    return university(name="山东大学")


@pytest.fixture
def patent(holder):
    return granted_patent(holder=holder)


@pytest.fixture
def licensee():
    return enterprise(name="山东黄河河务局供水局")


@pytest.fixture
def announced(patent, holder):
    declaration = declaration_create(
        patent=patent,
        consent_documents={holder.pk: written_document()},
        fee_lump_sum=20000,
        royalty_rate="0.03",
        royalty_base="sales",
        payment_method="lump_plus_royalty",
        term_years=3,
        declared_on=dt.date(2026, 3, 2),
    )
    declaration_submit(declaration=declaration, on=dt.date(2026, 3, 2))
    declaration_announce(
        declaration=declaration,
        announcement_number="CN2026OL000123",
        announced_on=dt.date(2026, 3, 9),
    )
    return declaration


@pytest.fixture(autouse=True)
def _english_service_messages():
    from django.utils import translation

    with translation.override("en"):
        yield
