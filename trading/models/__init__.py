"""Models of the trading hub: one ``Deal`` for every transaction, listings with
their public notice, valuation, brokers, financing, policies and partner markets."""

from .deals import (
    Deal,
    DealAuditEntry,
    DealContract,
    DealEvidence,
    DealPatent,
    SettlementMilestone,
)
from .directory import (
    Broker,
    FinancingInstitution,
    FinancingRequest,
    PartnerImportRun,
    PartnerMarket,
    Policy,
)
from .listings import (
    IncomeValuation,
    Listing,
    ListingDocument,
    ListingPatent,
    ListingStatusChange,
    Objection,
    ValueIndicator,
)
from .sessions import Bid, Deposit, LedgerEntry, TradingSession

__all__ = [
    "Bid",
    "Broker",
    "Deal",
    "DealAuditEntry",
    "DealContract",
    "DealEvidence",
    "DealPatent",
    "Deposit",
    "FinancingInstitution",
    "FinancingRequest",
    "IncomeValuation",
    "LedgerEntry",
    "Listing",
    "ListingDocument",
    "ListingPatent",
    "ListingStatusChange",
    "Objection",
    "PartnerImportRun",
    "PartnerMarket",
    "Policy",
    "SettlementMilestone",
    "TradingSession",
    "ValueIndicator",
]
