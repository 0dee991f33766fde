"""Talent resolution in the portal: links, increments, corrections that survive re-runs."""

import pytest

from patents.models import InventorMention
from talent.demo import load_nvidia_sample
from talent.models import Talent, TalentConstraint, TalentLink
from talent.selectors import review_queue
from talent.services import link_confirm, mention_move, talent_merge, talent_split, talents_resolve
from tests.talent.conftest import reimport_mentions

pytestmark = pytest.mark.django_db


def _assignment():
    return dict(TalentLink.objects.values_list("mention_id", "talent_id"))


def test_every_mention_gets_a_talent_with_confidence(nvidia_patents):
    stats = talents_resolve()
    assert stats.mentions == InventorMention.objects.count() > 100
    assert TalentLink.objects.count() == stats.mentions
    assert Talent.objects.count() == stats.new_talents
    assert TalentLink.objects.filter(confidence__gt=0, confidence__lte=1).count() == stats.mentions
    # Mentions of one person are one talent: Ming-Yu Liu appears on many sample patents.
    liu = TalentLink.objects.filter(mention__raw_name="Ming-Yu Liu").values("talent").distinct()
    assert liu.count() >= 1
    assert TalentLink.objects.filter(mention__raw_name="Ming-Yu Liu").count() > liu.count()


def test_increment_attaches_new_mentions_without_touching_old_links(nvidia_patents):
    talents_resolve()
    before = _assignment()
    load_nvidia_sample()  # the rest of the sample: a new import
    stats = talents_resolve()
    after = _assignment()
    assert stats.mentions == len(after) - len(before) > 0
    assert all(after[m] == t for m, t in before.items())
    assert stats.linked_to_existing > 0  # some new patents belong to people already known


def test_full_rerun_is_stable(nvidia_patents):
    talents_resolve()
    before = _assignment()
    talents_resolve(full=True)
    assert _assignment() == before


def _talent_with(n):
    for t in Talent.objects.all():
        if t.links.count() >= n:
            return t
    raise AssertionError("no talent with enough patents")


def test_split_survives_full_rerun_increment_and_reimport(nvidia_patents, staff_user):
    talents_resolve()
    talent = _talent_with(3)
    mention_ids = list(talent.links.values_list("mention_id", flat=True))
    keys = dict(
        (m, (p, s))
        for m, p, s in InventorMention.objects.filter(pk__in=mention_ids).values_list(
            "pk", "patent_id", "sequence"
        )
    )
    new = talent_split(talent=talent, mention_ids=mention_ids[:1], user=staff_user)
    talents_resolve(full=True)
    load_nvidia_sample()
    talents_resolve()
    reimport_mentions()  # every mention row replaced, every link gone
    talents_resolve()

    def talent_of(mention_id):
        patent_id, sequence = keys[mention_id]
        return TalentLink.objects.get(
            mention__patent_id=patent_id, mention__sequence=sequence
        ).talent_id

    assert talent_of(mention_ids[0]) == new.pk
    assert {talent_of(m) for m in mention_ids[1:]} == {talent.pk}
    assert TalentConstraint.objects.filter(kind="split", talent=new).count() == 1


def test_merge_and_move_survive_full_rerun(nvidia_patents, staff_user):
    talents_resolve()
    a, b, c = Talent.objects.order_by("pk")[:3]
    a_mentions = set(a.links.values_list("mention_id", flat=True))
    b_mentions = set(b.links.values_list("mention_id", flat=True))
    talent_merge(target=a, sources=[b], user=staff_user)
    moved = InventorMention.objects.get(pk=min(a_mentions))
    mention_move(mention=moved, talent=c, user=staff_user)
    talents_resolve(full=True)
    assignment = _assignment()
    assert {assignment[m] for m in (a_mentions | b_mentions) - {moved.pk}} == {a.pk}
    assert assignment[moved.pk] == c.pk
    assert not Talent.objects.filter(pk=b.pk).exists()


def test_review_queue_and_confirmation(nvidia_patents, staff_user):
    talents_resolve()
    link = TalentLink.objects.order_by("confidence").first()
    link.review = TalentLink.Review.PENDING
    link.save()
    assert next(iter(review_queue())) == link
    link_confirm(link=link, user=staff_user)
    assert not review_queue().filter(pk=link.pk).exists()
    talents_resolve(full=True)
    link.refresh_from_db()
    assert link.method == TalentLink.Method.PINNED and link.confidence == 1.0


def test_high_yield_flag_follows_the_rule(nvidia_patents):
    from talent.services.resolution import HIGH_YIELD_MIN_GRANTED, HIGH_YIELD_MIN_PATENTS

    load_nvidia_sample()
    talents_resolve()
    for t in Talent.objects.all():
        expected = t.patent_count >= HIGH_YIELD_MIN_PATENTS and (
            t.granted_invention_count >= HIGH_YIELD_MIN_GRANTED or t.recent_patent_count >= 3
        )
        assert t.is_high_yield == expected
    assert Talent.objects.filter(is_high_yield=True).exists()


def test_increment_links_a_surname_variant_stored_in_another_block(db):
    from tests.factories import InventorMentionFactory, PatentFactory

    # Lai 2011 hand label: Arthur L. Liberman and Arthur L. Lieberman are one inventor.
    old = InventorMentionFactory(
        patent=PatentFactory(), raw_name="Arthur L. Liberman", normalized_name="arthur liberman"
    )
    talents_resolve()
    new = InventorMentionFactory(
        patent=PatentFactory(), raw_name="Arthur L. Lieberman", normalized_name="arthur lieberman"
    )
    stats = talents_resolve()
    assert stats.mentions == 1
    old_link, new_link = TalentLink.objects.get(mention=old), TalentLink.objects.get(mention=new)
    assert new_link.talent_id == old_link.talent_id
    assert new_link.block_key != old_link.block_key
