"""Load test: concurrent bidders on one online bidding session, PostgreSQL as
the arbiter (issue 23).

N bidder threads (each its own database connection) bid as fast as they can at
the minimum next price (plus a random 0–2 increments) through ``bid_place``;
a closer thread calls ``session_close`` the moment the window ends while the
bidders keep bidding for a further second. Afterwards the database is checked:

* no lost bid: every bid a client was told is accepted is stored as accepted,
  and every stored bid was answered to a client;
* strict order: accepted sequences are 1..n without gaps, each amount at least
  the previous plus the increment, the session's price is the last one;
* no bid after close: every accepted bid was placed before the window's end,
  and every attempt after the close was refused;
* one winner: exactly one bid is marked won, the highest.

Load data is derived from real records: the seller is a real university
(data/cn_universities), the patent a real CN publication (data/cn_patents_zh);
bidders are placeholder enterprises named "竞买企业<n>".

PostgreSQL only (SQLite serialises writers and proves nothing)::

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_bidding \
        .venv/bin/python bench/trading_bidding_load.py --bidders 20 --seconds 20
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import os
import random
import statistics
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATA = REPO / "data"


def real_seller_and_patent():
    """A real university and a real CN publication (or None when data/ is absent)."""
    unis = DATA / "cn_universities" / "moe_higher_education_institutions_2017.csv"
    pats = DATA / "cn_patents_zh" / "cn_patent_titles_ipc_subclasses.csv"
    if not unis.exists() or not pats.exists():
        return None
    with unis.open(encoding="utf-8") as f:
        uni = next(r for r in csv.DictReader(f) if "山东" in r["name"])
    with pats.open(encoding="utf-8") as f:
        pat = next(csv.DictReader(f))
    return uni["name"], pat["publication_numbers"].split("|")[0], pat["title_zh"]


def make_session(*, bidders: int, seconds: float, start_in: float = 1.0):
    """A listed patent, an online bidding opening in ``start_in`` seconds for
    ``seconds``, and ``bidders`` registered bidders with their deposits."""
    from django.test import override_settings
    from django.utils import timezone

    from patents.models import LegalStatus, Organization, Patent, PatentApplicant, PatentType
    from trading.models import Listing, ListingPatent
    from trading.services import deposit_record, session_open

    seller_name, number, title = real_seller_and_patent() or ("山东大学", "CN100000000A", "装置")
    suffix = str(time.time_ns())[-8:]
    seller = Organization.objects.create(
        name=f"{seller_name}", normalized_name=f"bench-{suffix}-seller", kind="university"
    )
    patent = Patent.objects.create(
        publication_number=f"{number}-{suffix}",
        country="CN",
        title=title,
        legal_status=LegalStatus.GRANTED,
        patent_type=PatentType.INVENTION,
        application_date=dt.date(2021, 1, 1),
        grant_date=dt.date(2023, 1, 1),
    )
    PatentApplicant.objects.create(patent=patent, organization=seller, sequence=0)
    listing = Listing.objects.create(
        title=title,
        subject=Listing.Subject.PATENT,
        purpose=Listing.Purpose.TRANSFER,
        holder=seller,
        asking_price=100000,
        status=Listing.Status.LISTED,
    )
    ListingPatent.objects.create(listing=listing, patent=patent)
    orgs = [
        Organization.objects.create(
            name=f"竞买企业{i}", normalized_name=f"bench-{suffix}-{i}", kind="enterprise"
        )
        for i in range(bidders)
    ]
    starts = timezone.now() + dt.timedelta(seconds=start_in)
    # The window is seconds long: the announcement is back-dated and the
    # extension rule off, so the close time is known in advance.
    rules = {"bidding": {"extension_window_minutes": 0, "announcement_working_days": 1}}
    with override_settings(TRADING_MODE_RULES=rules):
        session = session_open(
            listing=listing,
            mode="bidding",
            starting_price=100000,
            increment=1000,
            deposit_amount=10000,
            starts_at=starts,
            bidding_minutes=1,
            today=timezone.localdate() - dt.timedelta(days=10),
        )
    type(session).objects.filter(pk=session.pk).update(
        ends_at=starts + dt.timedelta(seconds=seconds)
    )
    session.refresh_from_db()
    for org in orgs:
        deposit_record(
            session=session,
            bidder=org,
            amount=10000,
            received_on=timezone.localdate(),
            now=starts - dt.timedelta(milliseconds=500),
        )
    return session, orgs


def run_load(session, orgs, *, overrun: float = 1.0) -> dict:
    """Bid from one thread per bidder until ``overrun`` seconds after the close."""
    from django.db import close_old_connections, connection
    from django.utils import timezone

    from trading.models import TradingSession
    from trading.services import TradingError, bid_place, session_close

    ends = session.ends_at
    stop_at = ends + dt.timedelta(seconds=overrun)
    results: list[list] = [[] for _ in orgs]
    close_info: dict = {}
    barrier = threading.Barrier(len(orgs) + 1)

    def bidder(i, org):
        rng = random.Random(i)
        barrier.wait()
        while timezone.now() < session.starts_at:
            time.sleep(0.005)
        try:
            while timezone.now() < stop_at:
                current = TradingSession.objects.only("current_price").get(pk=session.pk)
                base = current.current_price
                amount = (
                    Decimal(100000)
                    if base is None
                    else base + Decimal(1000) * (1 + rng.randint(0, 2))
                )
                t0 = time.perf_counter()
                sent = timezone.now()
                try:
                    bid = bid_place(session=session, bidder=org, amount=amount)
                    outcome, bid_id = "accepted", bid.pk
                except TradingError as exc:
                    outcome, bid_id = exc.messages[0], None
                results[i].append((sent, time.perf_counter() - t0, outcome, bid_id, amount))
        finally:
            connection.close()

    def closer():
        barrier.wait()
        try:
            while timezone.now() < ends:
                time.sleep(0.001)
            while True:
                try:
                    session_close(session=session)
                    close_info["closed_at"] = timezone.now()
                    return
                except TradingError:
                    time.sleep(0.001)
        finally:
            connection.close()

    threads = [threading.Thread(target=bidder, args=(i, o)) for i, o in enumerate(orgs)]
    threads.append(threading.Thread(target=closer))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    close_old_connections()
    return {"results": results, **close_info}


def check(session, run: dict) -> dict:
    """The invariants; returns the figures (raises AssertionError on a breach)."""
    from trading.models import Bid, TradingSession

    session = TradingSession.objects.get(pk=session.pk)
    attempts = [r for rows in run["results"] for r in rows]
    told_accepted = {r[3] for r in attempts if r[2] == "accepted"}
    stored = list(Bid.objects.filter(session=session).order_by("id"))
    accepted = sorted((b for b in stored if b.status == "accepted"), key=lambda b: b.sequence)
    stored_accepted = {b.pk for b in accepted}
    lost = told_accepted - stored_accepted
    phantom = stored_accepted - told_accepted
    assert not lost and not phantom, (lost, phantom)
    assert len(stored) == len(attempts), (len(stored), len(attempts))
    assert [b.sequence for b in accepted] == list(range(1, len(accepted) + 1))
    for prev, nxt in itertools.pairwise(accepted):
        assert nxt.amount >= prev.amount + session.increment, (prev.pk, nxt.pk)
    late = [b.pk for b in accepted if b.placed_at >= session.ends_at]
    assert not late, late
    after_close = [r for r in attempts if r[0] > run["closed_at"] and r[2] == "accepted"]
    assert not after_close, after_close
    winners = [b for b in accepted if b.won]
    assert len(winners) == 1 and winners[0].pk == accepted[-1].pk
    assert session.winning_price == accepted[-1].amount
    lat = sorted(r[1] for r in attempts)
    window = (session.ends_at - session.starts_at).total_seconds()

    def pct(p):
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000

    return {
        "bidders": len(run["results"]),
        "window_s": window,
        "attempts": len(attempts),
        "accepted": len(accepted),
        "refused": len(attempts) - len(accepted),
        "refused_after_close": sum(1 for r in attempts if r[0] > run["closed_at"]),
        "attempts_per_s": len(attempts) / (window + 1.0),
        "accepted_per_s": len(accepted) / window,
        "p50_ms": statistics.median(lat) * 1000,
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "lost": len(lost),
        "double_accepted_or_winners": len(winners) - 1,
        "final_price": str(accepted[-1].amount),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bidders", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set BENCH_DATABASE_URL to a PostgreSQL database (SQLite proves nothing here).")
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    session, orgs = make_session(bidders=args.bidders, seconds=args.seconds, start_in=2.0)
    run = run_load(session, orgs)
    figures = check(session, run)
    for key, value in figures.items():
        print(f"{key:>28}: {value:.1f}" if isinstance(value, float) else f"{key:>28}: {value}")


if __name__ == "__main__":
    main()
