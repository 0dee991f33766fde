"""The one place trading counts working days (the portal-wide working-day
module replaces ``workdays`` here, issue 14)."""

from .workdays import add_working_days

__all__ = ["add_working_days"]
