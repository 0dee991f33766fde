"""Writes and domain rules of talent (``<entity>_<verb>``, keyword-only arguments)."""

from .corrections import link_confirm, mention_move, talent_merge, talent_split
from .pipl import (
    consent_record,
    consent_withdraw,
    objection_decide,
    objection_submit,
    profile_access_record,
    talent_contact_set,
)
from .programme import (
    certificate_issue,
    enrollment_assess,
    supply_item_create,
    supply_item_publish,
    talent_project_advance,
)
from .resolution import ResolutionStats, talents_refresh_stats, talents_resolve
from .supply_feed import (
    FeedStats,
    supply_items_sync,
    supply_items_sync_declaration,
    supply_items_sync_listing,
)

__all__ = [
    "FeedStats",
    "ResolutionStats",
    "certificate_issue",
    "consent_record",
    "consent_withdraw",
    "enrollment_assess",
    "link_confirm",
    "mention_move",
    "objection_decide",
    "objection_submit",
    "profile_access_record",
    "supply_item_create",
    "supply_item_publish",
    "supply_items_sync",
    "supply_items_sync_declaration",
    "supply_items_sync_listing",
    "talent_contact_set",
    "talent_merge",
    "talent_project_advance",
    "talent_split",
    "talents_refresh_stats",
    "talents_resolve",
]
