"""Stored match lists: computed in the background, read by the staff page, with evidence."""

from __future__ import annotations

import csv
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import Push, PushItem, StoredMatch, TechNeed
from matching.services import (
    ReviewDecision,
    need_rematch,
    need_review,
    needs_rematch_stale,
    stored_matches_sync_evidence,
)
from patents.models import Patent


@pytest.fixture(autouse=True)
def _no_vectors(settings):
    settings.MATCHING_EMBEDDINGS = False


@pytest.fixture
def published_need(cn_patents, enterprise, staff_user, django_capture_on_commit_callbacks):
    need = TechNeed.objects.create(
        organization=enterprise,
        title="寻求输电线路驱鸟技术",
        description="需要防止鸟类在高压输电线路上筑巢的驱鸟设备，希望专利许可或合作",
        industry="electrical",
        contact_name="王工",
        contact_mobile="13800138000",
        status=TechNeed.Status.SUBMITTED,
    )
    # Approval enqueues the background match after commit (eager Celery in tests).
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        need_review(need=need, decision=ReviewDecision.APPROVE, reviewer=staff_user)
    assert len(callbacks) == 1
    return need


@pytest.mark.django_db
def test_publication_stores_the_match_list(published_need, cn_patents):
    rows = list(StoredMatch.objects.filter(need=published_need).order_by("rank"))
    assert rows, "approval did not store a match list"
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    assert "驱鸟" in rows[0].patent.title
    assert rows[0].reasons and rows[0].signals
    assert all(r.shown_at is None and r.pushed_at is None for r in rows)


@pytest.mark.django_db
def test_staff_page_reads_the_stored_list_and_records_shown(
    client, published_need, staff_user, monkeypatch
):
    def fail(**kwargs):
        raise AssertionError("the page ran the matcher although a list was stored")

    monkeypatch.setattr("matching.matcher.match_need", fail)
    client.force_login(staff_user)
    page = client.get(reverse("matching:need_staff_detail", args=[published_need.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "匹配列表已于" in body and "语义向量" in body
    shown = StoredMatch.objects.filter(need=published_need, shown_at__isnull=False)
    assert shown.count() == StoredMatch.objects.filter(need=published_need).count()


@pytest.mark.django_db
def test_evidence_follows_sent_pushes_and_answers_only(published_need, enterprise):
    first = StoredMatch.objects.filter(need=published_need).order_by("rank").first()

    def push_with_item(status, *, key, sent_at=None, **item_fields):
        push = Push.objects.create(
            organization=enterprise,
            need=published_need,
            channel=Push.Channel.EMAIL,
            programme_line=published_need.programme_line,
            status=status,
            sent_at=sent_at,
        )
        PushItem.objects.create(
            push=push,
            organization=enterprise,
            kind=PushItem.Kind.PATENT,
            patent_id=first.patent_id,
            dedup_key=key,
            **item_fields,
        )

    # A push that was never sent is no evidence of anything.
    push_with_item(Push.Status.SUPPRESSED, key="suppressed")
    assert stored_matches_sync_evidence(need=published_need) == 0
    first.refresh_from_db()
    assert first.pushed_at is None and first.opened_at is None and first.answered_at is None

    now = timezone.now()
    push_with_item(
        Push.Status.SENT,
        key="sent",
        sent_at=now,
        clicked_at=now,
        feedback=PushItem.Feedback.INTERESTED,
        feedback_at=now,
    )
    assert stored_matches_sync_evidence(need=published_need) == 1
    first.refresh_from_db()
    assert first.pushed_at == now and first.opened_at == now and first.answered_at == now
    assert first.answer == "interested"
    assert stored_matches_sync_evidence(need=published_need) == 0  # idempotent

    # Re-matching: the pushed patent leaves the list (already pushed) but keeps its
    # row and evidence.
    need_rematch(need_id=published_need.pk)
    first.refresh_from_db()
    assert first.rank is None and first.answer == "interested"


@pytest.mark.django_db
def test_edits_and_new_patents_make_a_list_stale(published_need, cn_patents, data_dir):
    assert published_need.pk not in needs_rematch_stale()
    TechNeed.objects.filter(pk=published_need.pk).update(updated_at=timezone.now())  # an edit
    assert published_need.pk in needs_rematch_stale()
    need_rematch(need_id=published_need.pk)
    assert published_need.pk not in needs_rematch_stale()
    # A newly imported patent: the next real row of the dataset after the fixture's 120.
    with (data_dir / "cn_patents_zh" / "cn_patent_titles_ipc_subclasses.csv").open(
        encoding="utf-8"
    ) as handle:
        row = next(iter(itertools.islice(csv.DictReader(handle), 120, 121)))
    patent = Patent.objects.create(
        publication_number=row["publication_numbers"].split("|")[0],
        country="CN",
        title=row["title_zh"],
        title_language="zh",
        legal_status="granted",
        source_dataset="cn_patents_zh",
        source_line=122,
    )
    Patent.objects.filter(pk=patent.pk).update(
        created_at=timezone.now() + timezone.timedelta(seconds=5)
    )
    assert published_need.pk in needs_rematch_stale()
