import datetime as dt

import pytest

from portal.models import WorkCalendarYear
from portal.workdays import WorkCalendarMissing, add_working_days, is_working_day
from trading.models import Listing, Objection
from trading.services import (
    TradingError,
    listing_create,
    listing_publish,
    listing_review,
    listing_submit,
    objection_lodge,
    objection_resolve,
)

from .factories import granted_patent, university

pytestmark = pytest.mark.django_db


def test_working_days_skip_national_day_and_count_makeup_days():
    # 2025: 1–8 October is the National Day / Mid-Autumn holiday; Sat 11 Oct is a make-up day.
    assert not is_working_day(dt.date(2025, 10, 3))
    assert is_working_day(dt.date(2025, 10, 11))
    # 10 working days after Tue 30 Sep 2025 (the start day is not counted, Civil Code
    # art. 201): 9, 10, 11 (Sat), 13–17, 20, 21 Oct.
    assert add_working_days(dt.date(2025, 9, 30), 10) == dt.date(2025, 10, 21)


def test_a_year_without_a_calendar_is_refused_not_guessed():
    WorkCalendarYear.objects.filter(year=2026).delete()
    with pytest.raises(WorkCalendarMissing) as refusal:
        add_working_days(dt.date(2025, 12, 24), 10)
    assert "2026" in refusal.value.messages[0]
    listing = _listing()
    listing_submit(listing=listing)
    with pytest.raises(TradingError, match="2026"):
        listing_review(listing=listing, approve=True, today=dt.date(2025, 12, 24))
    listing.refresh_from_db()
    assert listing.status == Listing.Status.SUBMITTED and listing.notice_ends_on is None


def _listing(**kw):
    holder = university()
    return listing_create(
        holder=holder,
        title="一种水电站高压输电线路驱鸟保护装置 转让",
        subject=Listing.Subject.PATENT,
        purpose=Listing.Purpose.TRANSFER,
        patents=[granted_patent(holder=holder)],
        asking_price=kw.pop("asking_price", 500000),
        today=dt.date(2025, 9, 29),
        **kw,
    )


def test_listing_cannot_skip_review_or_notice(settings):
    settings.TRADING_NOTICE_WORKING_DAYS = 10
    listing = _listing()
    with pytest.raises(TradingError, match="only after review and its public notice"):
        listing_publish(listing=listing, today=dt.date(2025, 12, 1))
    listing_submit(listing=listing)
    with pytest.raises(TradingError, match="only after review and its public notice"):
        listing_publish(listing=listing, today=dt.date(2025, 12, 1))
    listing_review(listing=listing, approve=True, today=dt.date(2025, 9, 30))
    assert listing.notice_ends_on == dt.date(2025, 10, 21)
    with pytest.raises(TradingError, match="runs until 2025-10-21"):
        listing_publish(listing=listing, today=dt.date(2025, 10, 21))
    listing_publish(listing=listing, today=dt.date(2025, 10, 22))
    assert listing.status == Listing.Status.LISTED and listing.listed_at
    statuses = list(listing.history.values_list("to_status", flat=True))
    assert statuses == ["draft", "submitted", "notice", "listed"]


def test_open_objection_blocks_listing_and_upheld_one_rejects():
    listing = _listing()
    listing_submit(listing=listing)
    listing_review(listing=listing, approve=True, today=dt.date(2025, 9, 30))
    objection = objection_lodge(
        listing=listing, objector_name="李明", reason="共有人未同意", today=dt.date(2025, 10, 9)
    )
    with pytest.raises(TradingError, match="Resolve every open objection"):
        listing_publish(listing=listing, today=dt.date(2025, 10, 22))
    with pytest.raises(TradingError, match="how the objection was resolved"):
        objection_resolve(objection=objection, upheld=False, resolution="")
    objection_resolve(objection=objection, upheld=False, resolution="共有人书面同意已提交")
    assert objection.status == Objection.Status.DISMISSED
    listing_publish(listing=listing, today=dt.date(2025, 10, 22))

    second = _listing()
    listing_submit(listing=second)
    listing_review(listing=second, approve=True, today=dt.date(2025, 9, 30))
    with pytest.raises(TradingError, match="only during the public notice"):
        objection_lodge(listing=second, objector_name="A", reason="B", today=dt.date(2025, 10, 22))
    upheld = objection_lodge(
        listing=second, objector_name="A", reason="B", today=dt.date(2025, 10, 9)
    )
    objection_resolve(objection=upheld, upheld=True, resolution="权属存在争议")
    second.refresh_from_db()
    assert second.status == Listing.Status.REJECTED


def test_rejection_needs_reason_and_package_needs_two_patents():
    listing = _listing()
    listing_submit(listing=listing)
    with pytest.raises(TradingError, match="why the listing is rejected"):
        listing_review(listing=listing, approve=False)
    with pytest.raises(TradingError, match="at least two patents"):
        listing_create(
            holder=university(),
            title="包",
            subject=Listing.Subject.PACKAGE,
            purpose=Listing.Purpose.TRANSFER,
            patents=[granted_patent()],
        )
