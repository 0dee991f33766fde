"""The guard openlicense registers with trading (see ``OpenlicenseConfig.ready``)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from trading.models import Deal

from ..models import Declaration


def open_licence_blocks_exclusive(*, kind: str, patent_ids, on: dt.date) -> str | None:
    """While an open licence is in force the patentee cannot grant an exclusive
    or sole licence on that patent (Patent Law art. 51(3))."""
    if kind not in Deal.EXCLUSIVE_KINDS:
        return None
    numbers = list(
        Declaration.objects.filter(
            patent_id__in=list(patent_ids), status=Declaration.Status.ANNOUNCED
        ).values_list("patent__publication_number", flat=True)
    )
    if not numbers:
        return None
    return _(
        "An open licence is in force on %(numbers)s: no exclusive or sole licence may be "
        "granted until its withdrawal is announced."
    ) % {"numbers": ", ".join(sorted(numbers))}
