"""The published rules of each transaction mode, as configuration.

Defaults follow published peer rules (issue 23): a bidding announcement, a
deposit per bidder refunded within 5 working days of the close, a timed bidding
window that a late bid extends (限时竞价), a result notice (成交公示), and for a
university or research institute selling at an agreed price the pre-publication
of the achievement's name and proposed price (Law on Promoting the
Transformation of Scientific and Technological Achievements, art. 18; 15 days
as one technology-transfer office uses). ``settings.TRADING_MODE_RULES`` may
override any key per mode; a session copies the rules it was opened under.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from django.conf import settings

DEFAULT_RULES: dict[str, dict] = {
    "agreed": {
        # Sellers who must pre-publish the name and price (Organization.Kind values).
        "prepublication_seller_kinds": ["university", "institute"],
        "prepublication_days": 15,
        "payment_working_days": 10,
        "commission_rate": "0.01",
    },
    "bidding": {
        "announcement_working_days": 5,
        "deposit_required": True,
        "min_increment": "1000",
        "bidding_minutes": 60,
        # A bid in the last N minutes moves the end to N minutes after that bid.
        "extension_window_minutes": 5,
        "extension_minutes": 5,
        "max_extensions": 50,
        "reserve_public": True,
        "result_notice_working_days": 5,
        "refund_working_days": 5,
        "payment_working_days": 5,
        "commission_rate": "0.01",
    },
    "auction": {
        "announcement_working_days": 7,
        "deposit_required": True,
        "min_increment": "1000",
        "bidding_minutes": 60,
        "extension_window_minutes": 5,
        "extension_minutes": 5,
        "max_extensions": 50,
        # The auctioneer's reserve (保留价) stays confidential until the close.
        "reserve_public": False,
        "result_notice_working_days": 5,
        "refund_working_days": 5,
        "payment_working_days": 5,
        "commission_rate": "0.01",
    },
    "tender": {
        "announcement_working_days": 20,
        "deposit_required": True,
        "min_increment": "0",
        # Sealed tenders are taken until the deadline; one per tenderer.
        "bidding_minutes": 60 * 24 * 5,
        "extension_window_minutes": 0,
        "extension_minutes": 0,
        "max_extensions": 0,
        "reserve_public": False,
        "result_notice_working_days": 5,
        "refund_working_days": 5,
        "payment_working_days": 10,
        "commission_rate": "0.01",
    },
}


def mode_rules(mode: str) -> dict:
    """The rules a new session of ``mode`` runs under (defaults + settings)."""
    rules = copy.deepcopy(DEFAULT_RULES[mode])
    rules.update(getattr(settings, "TRADING_MODE_RULES", {}).get(mode, {}))
    return rules


def rule_decimal(rules: dict, key: str) -> Decimal:
    return Decimal(str(rules.get(key) or 0))
