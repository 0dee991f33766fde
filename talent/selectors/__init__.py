"""Reads of talent: KPI evidence, profiles, expert finding, queues and directories."""

from .experts import REGION_FILTERS, ExpertHit, experts_find, experts_for_need
from .kpi import (
    supply_items_published_in_period,
    talents_counted,
    talents_held,
    trainees_trained_in_period,
)
from .profiles import (
    TalentProfile,
    review_queue,
    supply_directory,
    supply_item_push_history,
    talent_profile,
    talents_visible,
)

__all__ = [
    "REGION_FILTERS",
    "ExpertHit",
    "TalentProfile",
    "experts_find",
    "experts_for_need",
    "review_queue",
    "supply_directory",
    "supply_item_push_history",
    "supply_items_published_in_period",
    "talent_profile",
    "talents_counted",
    "talents_held",
    "talents_visible",
    "trainees_trained_in_period",
]
