"""Only a patent's holder (or centre staff) may list it (issue 24, medium finding).

On the old main an enterprise listed and submitted another organization's patents.
"""

from __future__ import annotations

import pytest

from portal.roles import Role
from tests.factories import UserFactory
from tests.trading.factories import enterprise, granted_patent, university
from trading.models import Listing
from trading.services import TradingError, listing_create

pytestmark = pytest.mark.django_db


def _create(holder, patent, user):
    return listing_create(
        holder=holder,
        title="一种驱鸟装置",
        subject=Listing.Subject.PATENT,
        purpose=Listing.Purpose.TRANSFER,
        patents=[patent],
        asking_price=100000,
        created_by=user,
    )


def test_an_enterprise_cannot_list_another_organizations_patent():
    mine, theirs = enterprise(name="甲公司"), university(name="山东大学")
    patent = granted_patent(holder=theirs)
    user = UserFactory(roles=[Role.ENTERPRISE])
    with pytest.raises(TradingError, match=patent.publication_number):
        _create(mine, patent, user)
    assert not Listing.objects.exists()


def test_the_holder_and_staff_may():
    holder = university(name="山东大学")
    _create(holder, granted_patent(holder=holder), UserFactory(roles=[Role.PATENT_HOLDER]))
    _create(holder, granted_patent(holder=holder), UserFactory(roles=[Role.STAFF]))
    assert Listing.objects.count() == 2


def test_the_need_api_shares_the_need_forms_rate_limit(client, settings):
    """25 needs in 8.4 s through the API on the old main: no limit at all."""
    from patents.models import Organization
    from portal.models import UserProfile
    from tests.factories import OrganizationFactory

    settings.RATELIMIT_ENABLE = True
    user = UserFactory(roles=[Role.ENTERPRISE])
    UserProfile.objects.create(
        user=user, organization=OrganizationFactory(kind=Organization.Kind.ENTERPRISE)
    )
    client.force_login(user)
    need = {
        "title": "寻求高压输电线路驱鸟技术",
        "description": "我司负责山区高压输电线路运维，鸟类筑巢导致跳闸，需要可靠的驱鸟保护装置。",
        "industry": "electrical",
        "cooperation_mode": "licence",
        "budget_range": "10_50",
        "contact_name": "张工",
        "contact_mobile": "13800138000",
    }
    codes = [
        client.post("/api/v1/needs/", need, content_type="application/json").status_code
        for _ in range(12)
    ]
    assert codes.count(201) == 10 and codes[-1] == 429
