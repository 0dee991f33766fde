"""Stored match lists: computed in the background, read by the staff page.

* ``need_rematch`` runs the matcher for one published need and stores its list
  (``StoredMatch``); the need's tagging and its publication enqueue it, and
  ``needs_rematch_stale`` (beat) re-runs it for needs whose list is older than the
  need's last edit or than the newest imported patent.
* ``stored_matches_sync_evidence`` copies what happened to each listed patent from
  the pushes of the need (sent, opened/clicked, answered): evidence, never intent.
* ``stored_matches_mark_shown`` records the first time staff saw a row.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from patents.models import Patent

from ..models import Push, PushItem, StoredMatch, TechNeed

STORED_TOP = 20


def _has_evidence(row: StoredMatch) -> bool:
    return bool(row.shown_at or row.pushed_at or row.opened_at or row.answered_at)


def need_rematch(*, need_id: int, top: int = STORED_TOP) -> list[StoredMatch]:
    """(Re)compute and store the match list of one published need. Idempotent."""
    from ..matcher import match_need

    need = TechNeed.objects.filter(pk=need_id).first()
    if need is None or need.status != TechNeed.Status.PUBLISHED:
        return []
    matches = match_need(need=need, top=top)
    now = timezone.now()
    with transaction.atomic():
        existing = {
            row.patent_id: row for row in StoredMatch.objects.select_for_update().filter(need=need)
        }
        keep: set[int] = set()
        for rank, match in enumerate(matches, start=1):
            row = existing.get(match.patent_id) or StoredMatch(need=need, patent_id=match.patent_id)
            row.rank = rank
            row.score = match.score
            row.reasons = match.reasons
            row.signals = match.signals
            row.computed_at = now
            row.save()
            keep.add(match.patent_id)
        for patent_id, row in existing.items():
            if patent_id in keep:
                continue
            if _has_evidence(row):
                row.rank = None
                row.computed_at = now
                row.save(update_fields=["rank", "computed_at"])
            else:
                row.delete()
    stored_matches_sync_evidence(need=need)
    return list(need_stored_matches(need=need))


def need_stored_matches(*, need: TechNeed):
    """The need's current list, best first (rows that dropped out are not shown)."""
    return (
        StoredMatch.objects.filter(need=need, rank__isnull=False)
        .select_related("patent")
        .order_by("rank")
    )


def need_matches_computed_at(*, need: TechNeed):
    return StoredMatch.objects.filter(need=need).aggregate(at=Max("computed_at"))["at"]


def stored_matches_mark_shown(*, need: TechNeed, patent_ids: list[int]) -> int:
    return StoredMatch.objects.filter(
        need=need, patent_id__in=patent_ids, shown_at__isnull=True
    ).update(shown_at=timezone.now())


def stored_matches_sync_evidence(*, need: TechNeed) -> int:
    """Pushed = a push of this need carrying the patent was *sent*; opened = its link
    was clicked or the push opened; answered = the enterprise gave feedback."""
    rows = {r.patent_id: r for r in StoredMatch.objects.filter(need=need)}
    if not rows:
        return 0
    changed = 0
    items = (
        PushItem.objects.filter(push__need=need, patent_id__in=list(rows))
        .filter(push__status=Push.Status.SENT)
        .select_related("push")
        .order_by("push__sent_at")
    )
    for item in items:
        row = rows[item.patent_id]
        before = (row.pushed_at, row.opened_at, row.answered_at, row.answer)
        if item.push.sent_at and not row.pushed_at:
            row.pushed_at = item.push.sent_at
        opened = item.clicked_at or item.push.opened_at
        if opened and not row.opened_at:
            row.opened_at = opened
        if item.feedback and item.feedback_at:
            row.answered_at = item.feedback_at
            row.answer = item.feedback
        if (row.pushed_at, row.opened_at, row.answered_at, row.answer) != before:
            row.save(update_fields=["pushed_at", "opened_at", "answered_at", "answer"])
            changed += 1
    return changed


def needs_rematch_stale(*, limit: int = 200) -> list[int]:
    """Published needs whose stored list is missing or older than the need's last edit
    or than the newest patent: their ids, for ``need_rematch_task``."""
    newest_patent = Patent.objects.aggregate(at=Max("created_at"))["at"]
    needs = TechNeed.objects.filter(status=TechNeed.Status.PUBLISHED).annotate(
        computed=Max("stored_matches__computed_at")
    )
    stale = Q(computed__isnull=True) | Q(computed__lt=F("updated_at"))
    if newest_patent is not None:
        stale |= Q(computed__lt=newest_patent)
    return list(needs.filter(stale).order_by("pk").values_list("pk", flat=True)[:limit])


def need_match_list(*, need: TechNeed, record_shown: bool = True) -> tuple[list, object]:
    """What the staff page shows: the stored list (computed now only when the
    background run has not stored one yet), with its evidence brought up to date;
    the rows shown are recorded as shown. Returns (rows, computed_at)."""
    if need.status != TechNeed.Status.PUBLISHED:
        return [], None
    rows = list(need_stored_matches(need=need))
    if not rows and need_matches_computed_at(need=need) is None:
        rows = need_rematch(need_id=need.pk)
    else:
        stored_matches_sync_evidence(need=need)
    if record_shown and rows:
        stored_matches_mark_shown(need=need, patent_ids=[r.patent_id for r in rows])
    return rows, need_matches_computed_at(need=need)
