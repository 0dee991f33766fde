"""Concurrent bidders on PostgreSQL (issue 23): the database is the arbiter.
No lost bid, strict order, no bid after the close, one winner. Skipped on
SQLite, which serialises writers and proves nothing."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.trading_bidding_load import check, make_session, run_load

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_concurrent_bidders_one_winner_no_lost_or_late_bid():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: DATABASE_URL=postgres://…")
    session, orgs = make_session(bidders=6, seconds=3, start_in=1.0)
    figures = check(session, run_load(session, orgs, overrun=0.5))
    assert figures["accepted"] >= 2
    assert figures["refused_after_close"] > 0  # bidders kept trying after the close
    assert figures["lost"] == 0 and figures["double_accepted_or_winners"] == 0
