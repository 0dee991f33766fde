"""Push open-licence items to matching enterprises through matching's push system.

``matching.services.push_create`` is built in parallel (see the brief's
contract); the import is local so this app works before it lands on main.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from portal.programme import ProgrammeLine

from .models import Declaration


def open_licence_push_items(declarations: Iterable[Declaration]) -> list[dict]:
    """The item specs (``PushItemSpec`` fields) for announced declarations."""
    return [
        {
            "kind": "open_licence",
            "patent_id": d.patent_id,
            "object_id": d.pk,
            "title": d.patent.title,
            "url": reverse("openlicense:detail", args=[d.pk]),
        }
        for d in declarations
        if d.status == Declaration.Status.ANNOUNCED
    ]


def open_licence_push(
    *,
    organization,
    declarations: Iterable[Declaration],
    channel: str = "portal",
    programme_line: str = ProgrammeLine.TRADING_HUB,
    created_by=None,
):
    """Send announced open-licence items to ``organization``; matching
    deduplicates, so an item never reaches the same organization twice."""
    from matching.services import PushItemSpec, push_create  # built by the matching work

    items = [PushItemSpec(**spec) for spec in open_licence_push_items(declarations)]
    if not items:
        return None
    return push_create(
        organization=organization,
        items=items,
        channel=channel,
        programme_line=programme_line,
        created_by=created_by,
    )
