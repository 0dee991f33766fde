"""The provincial programme's three lines of work.

Every record that a KPI counts (a push, an event, a deal, a trainee) says which
line it serves; the reporting app groups by it. It lives in ``portal`` so every
app can name a line without importing another app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeLine(models.TextChoices):
    INDUSTRY_OPERATIONS = "industry_operations", _("Industry IP operations")
    TRADING_HUB = "trading_hub", _("Yellow River regional trading hub")
    TALENT = "talent", _("Talent + patents")


def default_line_for(user, fallback: str) -> str:
    """The programme line a new counted record gets by default: the line of the staff
    member creating it when they work in exactly one, else ``fallback`` (the record's
    usual line). Staff may change it on the form."""
    from .permissions import staff_lines

    lines = staff_lines(user) if user is not None else None
    if lines and len(lines) == 1:
        return next(iter(lines))
    return fallback


def programme_line_reassign(*, records, line: str, actor, reason: str = "") -> int:
    """Move counted records to another programme line, one audit event per record
    (from, to, reason). ``records`` is a QuerySet of a model with ``programme_line``.
    Returns how many changed; a record already on ``line`` is left alone."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from .audit import AuditAction, audit_record

    if line not in ProgrammeLine.values:
        raise ValidationError(_("Unknown programme line: %(line)s") % {"line": line})
    changed = 0
    with transaction.atomic():
        for record in records.select_for_update().exclude(programme_line=line):
            previous = record.programme_line
            type(record).objects.filter(pk=record.pk).update(programme_line=line)
            audit_record(
                actor=actor,
                action=AuditAction.UPDATED,
                target=record,
                details={
                    "field": "programme_line",
                    "from": previous,
                    "to": line,
                    "reason": reason,
                },
            )
            changed += 1
    return changed
