"""Admin actions that move selected counted records to another programme line in bulk,
through ``portal.programme_lines.programme_line_reassign`` (one audit event per record)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .programme import ProgrammeLine
from .programme_lines import programme_line_reassign


def _action(line: ProgrammeLine):
    def reassign(modeladmin, request, queryset):
        changed = programme_line_reassign(
            records=queryset,
            line=line.value,
            actor=request.user,
            reason=_("Bulk reassignment in the admin"),
        )
        modeladmin.message_user(
            request,
            _("%(n)s record(s) moved to %(line)s.") % {"n": changed, "line": line.label},
            messages.SUCCESS,
        )

    reassign.__name__ = f"reassign_to_{line.value}"
    return admin.action(
        description=gettext_lazy("Move to programme line: %(line)s") % {"line": line.label}
    )(reassign)


REASSIGN_ACTIONS = [_action(line) for line in ProgrammeLine]
