"""Open-licence and listing availability as the matcher sees it."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from openlicense.selectors import open_licence_availability
from tests.trading.factories import granted_patent, university
from trading.models import Listing
from trading.selectors import listing_availability
from trading.services import listing_create, listing_publish, listing_review, listing_submit

pytestmark = pytest.mark.django_db


def test_announced_open_licence_is_available_and_others_are_not(announced, patent):
    other = granted_patent(holder=university(name="山东农业大学"))
    assert open_licence_availability([patent.pk, other.pk]) == {patent.pk: "Open licence available"}


def test_listing_is_available_only_once_listed(settings):
    settings.TRADING_NOTICE_WORKING_DAYS = 10
    holder = university()
    listed, unlisted = granted_patent(holder=holder), granted_patent(holder=holder)
    listing = listing_create(
        holder=holder,
        title="一种水电站高压输电线路驱鸟保护装置 转让",
        subject=Listing.Subject.PATENT,
        purpose=Listing.Purpose.TRANSFER,
        patents=[listed],
        asking_price=500000,
        today=dt.date(2025, 9, 29),
    )
    listing_submit(listing=listing)
    listing_review(listing=listing, approve=True, today=dt.date(2025, 9, 30))
    assert listing_availability([listed.pk, unlisted.pk]) == {}  # still under public notice
    listing_publish(listing=listing, today=dt.date(2025, 10, 22))
    assert listing_availability([listed.pk, unlisted.pk]) == {
        listed.pk: "Listed on the trading hub"
    }


def test_the_matcher_is_wired_to_both_providers(announced, patent):
    providers = [import_string(path) for path in settings.MATCHING_AVAILABILITY_PROVIDERS]
    assert open_licence_availability in providers and listing_availability in providers
    from matching.matcher.core import _availability

    assert _availability([patent.pk]) == {patent.pk: "Open licence available"}
