"""The one place trading counts working days: the portal's working-day module,
whose holiday calendar is data (a year with no calendar is refused)."""

from portal.workdays import WorkCalendarMissing, add_working_days

__all__ = ["WorkCalendarMissing", "add_working_days"]
