"""Models of operations_center: industry chains, their patent tags and
precomputed navigation aggregates, reports, and events."""

from .chains import ChainNode, IndustryChain, PatentNodeTag, TaggingRun
from .events import Event, EventOutcome, EventPatent, EventRegistration
from .facts import (
    ChainNodeClosure,
    NodeApplicantFact,
    NodeFact,
    NodeIpcFact,
    PatentNavDim,
    RegionTotalFact,
)
from .reports import NavigationReport

__all__ = [
    "ChainNode",
    "ChainNodeClosure",
    "Event",
    "EventOutcome",
    "EventPatent",
    "EventRegistration",
    "IndustryChain",
    "NavigationReport",
    "NodeApplicantFact",
    "NodeFact",
    "NodeIpcFact",
    "PatentNavDim",
    "PatentNodeTag",
    "RegionTotalFact",
    "TaggingRun",
]
