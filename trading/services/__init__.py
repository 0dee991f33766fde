"""Writes and domain rules of the trading hub.

Every refused transition raises ``TradingError`` (a ``ValidationError``) whose
message is shown to the user as is.
"""

from .deals import (
    deal_cancel,
    deal_create,
    deal_evidence_add,
    deal_record,
    deal_sign,
    milestone_add,
    milestone_confirm,
    milestone_mark_paid,
    milestone_waive,
)
from .errors import TradingError
from .financing import financing_request_create
from .guards import register_deal_guard
from .ledger import (
    deposit_record,
    deposit_refund,
    overdue_reminders_send,
    payment_record,
    session_reconciliation,
)
from .listings import (
    listing_create,
    listing_publish,
    listing_review,
    listing_submit,
    listing_withdraw,
    objection_lodge,
    objection_resolve,
)
from .sessions import (
    bid_place,
    session_cancel,
    session_close,
    session_conclude,
    session_open,
)
from .valuation import income_valuation_create

__all__ = [
    "TradingError",
    "bid_place",
    "deal_cancel",
    "deal_create",
    "deal_evidence_add",
    "deal_record",
    "deal_sign",
    "deposit_record",
    "deposit_refund",
    "financing_request_create",
    "income_valuation_create",
    "listing_create",
    "listing_publish",
    "listing_review",
    "listing_submit",
    "listing_withdraw",
    "milestone_add",
    "milestone_confirm",
    "milestone_mark_paid",
    "milestone_waive",
    "objection_lodge",
    "objection_resolve",
    "overdue_reminders_send",
    "payment_record",
    "register_deal_guard",
    "session_cancel",
    "session_close",
    "session_conclude",
    "session_open",
    "session_reconciliation",
]
