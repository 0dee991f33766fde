"""Readable, translated labels for the engine's link reasons.

The engine (``talent.disambiguation``) is pure Python and stores its reasons as stable
English keys in ``TalentLink.reasons`` (so stored links stay comparable across
languages and releases); pages and the API translate them here when they show them.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

_FIXED = {
    "name full": _("same given name"),
    "name prefix": _("given name abbreviated (prefix)"),
    "name fuzzy": _("given name spelled slightly differently"),
    "name initial": _("given name as an initial"),
    "name conflict": _("given names disagree"),
    "middle name agrees": _("middle name agrees"),
    "middle name differs": _("middle name differs"),
    "same assignee": _("same applicant / employer"),
    "different assignee": _("different applicant / employer"),
    "same technology group": _("same technology group (IPC/CPC)"),
    "same technology subclass": _("same technology subclass (IPC/CPC)"),
    "different technology": _("different technology field"),
    "same city": _("same city"),
    "different country": _("different country"),
    "far apart in time": _("patents far apart in time"),
    "close in time": _("patents close in time"),
    "no matching person": _("no existing person fits well enough"),
    "new name": _("first mention of this name"),
    "staff correction": _("staff correction"),
    "common name": _("common name (many people share it)"),
    "rare name": _("rare name"),
    "different city": _("different city"),
    "context disagrees": _("context disagrees strongly"),
    "fits several people": _("fits several people equally"),
}
_CO_RE = re.compile(r"^(\d+) shared co-inventor\(s\)$")


def reason_label(reason: str) -> str:
    """``"2 shared co-inventor(s)"`` → "2 个共同发明人" (in the active language)."""
    key = str(reason or "").strip()
    if key in _FIXED:
        return str(_FIXED[key])
    match = _CO_RE.match(key)
    if match:
        n = int(match.group(1))
        return ngettext("%(n)d shared co-inventor", "%(n)d shared co-inventors", n) % {"n": n}
    return key  # an unknown key is shown as stored rather than hidden


def reason_labels(reasons) -> list[str]:
    return [reason_label(r) for r in reasons or ()]
