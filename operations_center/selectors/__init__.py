"""Reads of operations_center."""

from .events import event_list_public, events_held_in_period

__all__ = ["event_list_public", "events_held_in_period"]
