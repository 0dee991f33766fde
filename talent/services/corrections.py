"""Staff corrections. Each is stored as pins (``TalentConstraint``) that every
later run seeds first, so a merge, split or move is never undone by the engine."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from patents.models import InventorMention

from ..models import Talent, TalentConstraint, TalentLink
from .resolution import _drop_empty_talents, talents_refresh_stats


def _pin(*, mention_ids: Iterable[int], talent: Talent, kind: str, user, reason: str) -> None:
    mention_ids = list(mention_ids)
    for patent_id, sequence, raw_name in InventorMention.objects.filter(
        pk__in=mention_ids
    ).values_list("patent_id", "sequence", "raw_name"):
        TalentConstraint.objects.update_or_create(
            patent_id=patent_id,
            sequence=sequence,
            defaults={
                "talent": talent,
                "kind": kind,
                "created_by": user,
                "reason": reason,
                "raw_name": raw_name,
            },
        )
    TalentLink.objects.filter(mention_id__in=list(mention_ids)).update(
        talent=talent,
        method=TalentLink.Method.PINNED,
        review=TalentLink.Review.CONFIRMED,
        confidence=1.0,
        reasons=["staff correction"],
    )


@transaction.atomic
def talent_merge(
    *, target: Talent, sources: Iterable[Talent], user=None, reason: str = ""
) -> Talent:
    """Merge ``sources`` into ``target``: one person after all."""
    source_ids = [t.pk for t in sources if t.pk != target.pk]
    if not source_ids:
        raise ValidationError(_("Choose at least one other talent to merge."))
    mention_ids = list(
        TalentLink.objects.filter(talent_id__in=[target.pk, *source_ids]).values_list(
            "mention_id", flat=True
        )
    )
    _pin(
        mention_ids=mention_ids,
        talent=target,
        kind=TalentConstraint.Kind.MERGE,
        user=user,
        reason=reason,
    )
    # Corrections made earlier on the sources now point at the target as well.
    TalentConstraint.objects.filter(talent_id__in=source_ids).update(talent=target)
    talents_refresh_stats(talent_ids=[target.pk, *source_ids])
    _drop_empty_talents(set(source_ids))
    return target


@transaction.atomic
def talent_split(
    *, talent: Talent, mention_ids: Iterable[int], user=None, reason: str = ""
) -> Talent:
    """Move ``mention_ids`` out of ``talent`` into a new talent; both sides are pinned."""
    moving = set(mention_ids)
    own = set(TalentLink.objects.filter(talent=talent).values_list("mention_id", flat=True))
    if not moving or not moving <= own or moving == own:
        raise ValidationError(_("Choose some, but not all, of this talent's patents to split off."))
    first = InventorMention.objects.get(pk=min(moving))
    new = Talent.objects.create(display_name=first.raw_name[:255])
    kind = TalentConstraint.Kind.SPLIT
    _pin(mention_ids=moving, talent=new, kind=kind, user=user, reason=reason)
    _pin(mention_ids=own - moving, talent=talent, kind=kind, user=user, reason=reason)
    talents_refresh_stats(talent_ids=[talent.pk, new.pk])
    return new


@transaction.atomic
def mention_move(*, mention: InventorMention, talent: Talent, user=None, reason: str = "") -> None:
    """This patent's inventor is ``talent``."""
    old = TalentLink.objects.filter(mention=mention).values_list("talent_id", flat=True).first()
    if not TalentLink.objects.filter(mention=mention).exists():
        TalentLink.objects.create(mention=mention, talent=talent, confidence=1.0)
    _pin(
        mention_ids=[mention.pk],
        talent=talent,
        kind=TalentConstraint.Kind.MOVE,
        user=user,
        reason=reason,
    )
    talents_refresh_stats(talent_ids=[talent.pk] + ([old] if old else []))
    if old:
        _drop_empty_talents({old})


@transaction.atomic
def link_confirm(*, link: TalentLink, user=None) -> None:
    """A reviewer agrees with an uncertain link; it is pinned so it stays."""
    _pin(
        mention_ids=[link.mention_id],
        talent=link.talent,
        kind=TalentConstraint.Kind.CONFIRM,
        user=user,
        reason="",
    )
