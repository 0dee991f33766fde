"""Push open-licence items to matching enterprises through matching's push system.

Two ways in, one rule: staff pick enterprises from the needs an announced item
answers (``open_licence_push``), or the daily batch pushes newly announced items
to their best-matching enterprises (``open_licence_push_new_items``). Both go
through ``matching.services.need_push`` (the one "match, then push" service),
whose (recipient, item) constraint means an item never reaches the same
enterprise twice; enterprises that already hold the item are skipped before a
push is even recorded, so re-running the batch records nothing new. Items are
pushed with kind ``open_licence``; the KPI counts the delivered ones
(``matching.selectors.push_items_delivered_in_period``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.programme import ProgrammeLine

from .models import Declaration
from .selectors import (
    PUSH_ITEM_KIND,
    declarations_to_push,
    open_licence_push_candidates,
)
from .services.errors import OpenLicenceError


def open_licence_push_items(declarations: Iterable[Declaration]) -> list[dict]:
    """The item specs (``PushItemSpec`` fields) for announced declarations."""
    return [
        {
            "kind": PUSH_ITEM_KIND,
            "patent_id": d.patent_id,
            "object_id": d.pk,
            "title": f"{d.patent.publication_number} {d.patent.title}",
            "url": reverse("openlicense:detail", args=[d.pk]),
        }
        for d in declarations
        if d.status == Declaration.Status.ANNOUNCED
    ]


@dataclass(slots=True)
class PushOutcome:
    queued: list = field(default_factory=list)  # matching Push records queued for sending
    not_sent: list[tuple[str, str]] = field(default_factory=list)  # (enterprise, reason)
    skipped: list[str] = field(default_factory=list)  # already held the item


def open_licence_push(
    *,
    declaration: Declaration,
    need_ids: Iterable[int],
    channel: str = "email",
    programme_line: str = ProgrammeLine.TRADING_HUB,
    created_by=None,
    candidates: list | None = None,
) -> PushOutcome:
    """Push one announced item to the enterprises behind the chosen needs.

    Only needs the item matches (``open_licence_push_candidates``) may be chosen;
    one push per enterprise, linked to its best-matching need. ``candidates``
    lets a caller that has just computed them skip the second match.
    """
    from matching.channels import channel_selectable
    from matching.models import Push
    from matching.services import PushItemSpec, need_push

    if declaration.status != Declaration.Status.ANNOUNCED or declaration.withdrawal_requested_at:
        raise OpenLicenceError(
            _("Only an announced open licence with no withdrawal pending can be pushed.")
        )
    if programme_line not in ProgrammeLine.values:
        raise OpenLicenceError(_("Choose a programme line."))
    if channel not in Push.Channel.values or not channel_selectable(channel):
        raise OpenLicenceError(_("Unknown channel: %(channel)s") % {"channel": channel})
    chosen = {int(pk) for pk in need_ids}
    if not chosen:
        raise OpenLicenceError(_("Choose at least one enterprise to push to."))
    if candidates is None:
        candidates = open_licence_push_candidates(declaration=declaration)
    candidates = {c.need_id: c for c in candidates}
    unknown = chosen - set(candidates)
    if unknown:
        raise OpenLicenceError(
            _("These needs are not matches of this item (or no longer published): %(ids)s")
            % {"ids": ", ".join(str(pk) for pk in sorted(unknown))}
        )
    from matching.selectors import needs_published

    needs = {
        n.pk: n for n in needs_published().filter(pk__in=chosen).select_related("organization")
    }
    spec = PushItemSpec(**open_licence_push_items([declaration])[0])
    outcome = PushOutcome()
    done: set[int] = set()
    # Best-scoring need first, so each enterprise's push names its closest need.
    for candidate in sorted((candidates[pk] for pk in chosen), key=lambda c: -c.score):
        if candidate.organization_id in done:
            continue
        done.add(candidate.organization_id)
        if candidate.already_pushed:
            outcome.skipped.append(candidate.organization_name)
            continue
        need = needs[candidate.need_id]
        push = need_push(
            need=need,
            items=[spec],
            channel=channel,
            programme_line=programme_line,
            created_by=created_by,
        )
        if push.status == Push.Status.SUPPRESSED:
            outcome.not_sent.append((candidate.organization_name, push.status_reason))
        else:
            outcome.queued.append(push)
    return outcome


def open_licence_push_new_items(
    *,
    window_days: int | None = None,
    top: int | None = None,
    channel: str = "email",
    programme_line: str = ProgrammeLine.TRADING_HUB,
    today: dt.date | None = None,
) -> int:
    """Daily batch: push items announced in the last ``window_days`` to the
    enterprises of their ``top`` matching needs. Idempotent: an enterprise that
    already holds an item is skipped, so a second run queues nothing.
    Returns the number of pushes queued."""
    window = window_days if window_days is not None else settings.OPENLICENSE_PUSH_WINDOW_DAYS
    top = top if top is not None else settings.OPENLICENSE_PUSH_TOP
    today = today or timezone.localdate()
    queued = 0
    for declaration in declarations_to_push(announced_since=today - dt.timedelta(days=window)):
        candidates = open_licence_push_candidates(declaration=declaration, top=top)
        fresh = [c.need_id for c in candidates if not c.already_pushed]
        if not fresh:
            continue
        outcome = open_licence_push(
            declaration=declaration,
            need_ids=fresh,
            candidates=candidates,
            channel=channel,
            programme_line=programme_line,
        )
        queued += len(outcome.queued)
    return queued
