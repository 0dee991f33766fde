"""Talents keep themselves current: every patent import resolves its inventor mentions
(no manual command), staff corrections and PIPL objections survive those runs, a run
on a schedule catches up, and the review queue puts the weightiest decisions first."""

from __future__ import annotations

import csv
import gzip

import pytest
from django.conf import settings

from patents.models import InventorMention
from patents.services import patent_import_file
from portal.celery import app as celery_app
from talent.models import Talent, TalentLink
from talent.selectors import review_queue
from talent.services import objection_decide, objection_submit, talent_split

pytestmark = pytest.mark.django_db

FILES = (
    "nvidia_patent.csv.gz",
    "nvidia_inventor.csv.gz",
    "nvidia_cpc.csv.gz",
    "nvidia_assignee.csv.gz",
    "nvidia_patent_abstract.csv.gz",
)


@pytest.fixture(autouse=True)
def eager_celery():
    """Run the after-import tasks in-process even when REDIS_URL points at a broker
    without a worker (CI)."""
    from portal.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _subset(data_dir, tmp_path, n_patents: int):
    """The first ``n_patents`` real NVIDIA patents, every table cut to them."""
    src = data_dir / "us_patents_patentsview_nvidia"
    folder = tmp_path / "nvidia"
    folder.mkdir()
    keep = None
    for name in FILES:
        with gzip.open(src / name, "rt", newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            fields = reader.fieldnames
        if keep is None:
            keep = {r["patent_id"] for r in rows[:n_patents]}
        with gzip.open(folder / name, "wt", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(r for r in rows if r["patent_id"] in keep)
    return folder


def _import(folder, tmp_path, capture):
    with capture(execute=True):
        patent_import_file(
            path=folder, format="patentsview", error_report_path=tmp_path / "errors.csv"
        )


def test_import_alone_turns_inventor_mentions_into_talents(
    data_dir, tmp_path, django_capture_on_commit_callbacks
):
    _import(_subset(data_dir, tmp_path, 120), tmp_path, django_capture_on_commit_callbacks)
    mentions = InventorMention.objects.count()
    assert mentions > 200
    # No command was run: the import's commit queued the resolution (eager here).
    assert TalentLink.objects.count() == mentions
    assert 0 < Talent.objects.count() < mentions  # people, not one talent per mention


def test_corrections_and_objections_survive_reimports(
    data_dir, tmp_path, django_capture_on_commit_callbacks, staff_user
):
    folder = _subset(data_dir, tmp_path, 120)
    _import(folder, tmp_path, django_capture_on_commit_callbacks)
    big = max(Talent.objects.all(), key=lambda t: t.links.count())
    assert big.links.count() >= 3
    keys = list(
        big.links.order_by("mention__patent_id", "mention__sequence").values_list(
            "mention__patent_id", "mention__sequence"
        )
    )
    split_off = talent_split(
        talent=big,
        mention_ids=list(
            big.links.filter(mention__patent_id=keys[0][0]).values_list("mention_id", flat=True)
        ),
        user=staff_user,
    )
    other = next(t for t in Talent.objects.exclude(pk__in=[big.pk, split_off.pk]))
    objection = objection_submit(
        talent=other, requester_name="本人", requester_contact="tel 0531", message="请撤下"
    )
    objection_decide(objection=objection, uphold=True, note="identity checked", user=staff_user)

    for _run in range(2):  # the same file imported again: rows upserted, mentions rewritten
        _import(folder, tmp_path, django_capture_on_commit_callbacks)

    def talent_of(patent_id, sequence):
        return TalentLink.objects.get(
            mention__patent_id=patent_id, mention__sequence=sequence
        ).talent_id

    assert talent_of(*keys[0]) == split_off.pk
    assert {talent_of(*k) for k in keys[1:]} == {big.pk}
    other.refresh_from_db()
    assert other.suppressed and other.links.exists()
    assert TalentLink.objects.count() == InventorMention.objects.count()


def test_resolution_is_also_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["talent-resolve-new-mentions"]
    assert entry["task"] == "talent.resolve_new_mentions"
    assert entry["task"] in celery_app.tasks


def test_review_queue_orders_by_impact(data_dir, tmp_path, django_capture_on_commit_callbacks):
    _import(_subset(data_dir, tmp_path, 60), tmp_path, django_capture_on_commit_callbacks)
    talents = sorted(Talent.objects.all(), key=lambda t: t.links.count())
    small, big = talents[0], talents[-1]
    Talent.objects.filter(pk=small.pk).update(patent_count=1)
    Talent.objects.filter(pk=big.pk).update(patent_count=40)
    doubtful_small = small.links.first()
    doubtful_big = big.links.first()
    TalentLink.objects.filter(pk=doubtful_small.pk).update(
        review=TalentLink.Review.PENDING, confidence=0.40
    )
    TalentLink.objects.filter(pk=doubtful_big.pk).update(
        review=TalentLink.Review.PENDING, confidence=0.70
    )
    queue = list(review_queue())
    # (1 - 0.70) x 41 = 12.3 outweighs (1 - 0.40) x 2 = 1.2: less doubtful, far weightier.
    assert [link.pk for link in queue[:2]] == [doubtful_big.pk, doubtful_small.pk]
