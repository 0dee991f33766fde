"""The two batch commands on the demo data: ``load_demo``'s matching needs as input."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from matching.demo import DEMO_NOTE, demo_need_rows, demo_needs_jsonl, load_demo
from matching.models import Push, TechNeed
from patents.models import Patent
from tests.factories import UserFactory


@pytest.fixture
def demo_needs(cn_patents, enterprise, settings, django_capture_on_commit_callbacks):
    settings.MATCHING_EMBEDDINGS = False  # e5 on this CPU costs seconds per text
    UserFactory(username="demo", is_staff=True)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(stdout=out)
    load_demo(stdout=out)  # idempotent: the second run adds nothing
    assert "already loaded" in out.getvalue()
    return list(TechNeed.objects.filter(description__startswith=DEMO_NOTE).order_by("pk"))


@pytest.mark.django_db
def test_demo_needs_are_tagged_reviewed_and_pushed(demo_needs, enterprise):
    assert len(demo_needs) == len(demo_need_rows())
    assert all(n.organization == enterprise for n in demo_needs)
    assert all(n.predicted_ipc and n.keywords for n in demo_needs)
    assert {n.status for n in demo_needs} == {
        TechNeed.Status.PUBLISHED,
        TechNeed.Status.SUBMITTED,
    }
    push = Push.objects.get(need__in=demo_needs)
    assert push.channel == Push.Channel.LOG and push.items.exists()


@pytest.mark.django_db
def test_predict_ipc_and_match_needs_run_on_the_demo_needs(demo_needs, tmp_path):
    source = tmp_path / "needs.jsonl"
    assert demo_needs_jsonl(source) == len(demo_needs)
    ids = [n.pk for n in demo_needs]

    labels_path = tmp_path / "labels.jsonl"
    call_command(
        "predict_ipc", input=str(source), output=str(labels_path), top=5, stderr=io.StringIO()
    )
    labels = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in labels] == ids
    for record in labels:
        scores = [label["score"] for label in record["labels"]]
        assert len(scores) == 5 and scores == sorted(scores, reverse=True)
        assert all(len(label["code"]) == 4 for label in record["labels"])

    results_path = tmp_path / "results.jsonl"
    call_command(
        "match_needs", input=str(source), output=str(results_path), top=10, stderr=io.StringIO()
    )
    matched = [json.loads(line) for line in results_path.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in matched] == ids
    known = set(Patent.objects.values_list("publication_number", flat=True))
    assert any(r["results"] for r in matched)
    for record in matched:
        scores = [hit["score"] for hit in record["results"]]
        assert scores == sorted(scores, reverse=True) and len(scores) <= 10
        assert {hit["publication_number"] for hit in record["results"]} <= known
