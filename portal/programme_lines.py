"""Which programme line a counted record serves: the default for a new record and
the audited bulk move between lines (``portal.programme`` only names the lines)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .programme import ProgrammeLine


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
