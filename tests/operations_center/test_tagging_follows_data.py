"""Tagging follows the data: new imports are tagged without a button, a
CPC-coded (US) patent is never tagged by a text guess, and reasons read as
sentences naming the node and what matched."""

from __future__ import annotations

import csv
import gzip

import pytest
from django.core.management import call_command
from django.utils import translation

from operations_center.models import PatentNodeTag, TaggingRun
from operations_center.reasons import tag_reason_sentence
from operations_center.services import tagging
from operations_center.services.tagging import chain_tag
from patents.models import PatentClassification
from tests.factories import PatentFactory

pytestmark = pytest.mark.django_db


def test_cpc_coded_patent_is_never_tagged_by_prediction(nev_chain, landscape, monkeypatch):
    # An NVIDIA grant as PatentsView records it: CPC only, English text.
    us = PatentFactory(
        publication_number="US10000001B2",
        country="US",
        title="Data center cooling with redundant liquid loops",
        abstract="A datacenter cooling system comprising battery-backed pumps.",
        main_ipc="",
        ipc_codes=[],
    )
    PatentClassification.objects.create(
        patent=us, scheme="cpc", code="H05K7/20", subclass="H05K", is_main=True
    )
    seen = []

    def predict_everything_as_batteries(*, texts, top=3):
        seen.extend(texts)
        return [[("H01M", 0.95)] for _t in texts]

    monkeypatch.setattr(tagging, "predict_ipc", predict_everything_as_batteries)
    chain_tag(chain=nev_chain, full=True)
    assert not any("datacenter" in t for t in seen)
    assert not PatentNodeTag.objects.filter(patent=us).exists()


def test_reasons_are_sentences_naming_node_and_match(nev_chain, landscape):
    chain_tag(chain=nev_chain, full=True)
    with translation.override("zh-hans"):
        tag = PatentNodeTag.objects.get(
            node__key="nev-battery", patent__title="一种动力电池热管理系统"
        )
        sentence = tag_reason_sentence(reason=tag.reason, node=tag.node.name, text="")
        assert sentence == f"IPC 分类号 H01M10/613 属于节点“{tag.node.name}”的分类号范围"
        keyword = tag_reason_sentence(
            reason="keyword 充电桩|充电站 / charging pile",
            node="充电设施",
            text="一种电动汽车充电桩 本发明公开了一种充电桩",
        )
        assert keyword == "标题或摘要含有节点“充电设施”的关键词 “充电桩”"
        predicted = tag_reason_sentence(reason="predicted IPC B60L (0.90)", node="电驱动", text="")
        assert "B60L" in predicted and "把握高" in predicted and "0.90" in predicted
        # Every stored reason of the run renders without the compact form's words.
        for tag in PatentNodeTag.objects.select_related("node", "patent"):
            text = f"{tag.patent.title} {tag.patent.abstract}"
            rendered = tag_reason_sentence(reason=tag.reason, node=tag.node.name, text=text)
            assert tag.node.name in rendered
            assert not rendered.startswith(("keyword", "IPC H", "SEI", "predicted"))


def test_an_import_tags_its_patents_without_a_button(
    nev_chain, data_dir, tmp_path, capsys, django_capture_on_commit_callbacks, eager_celery
):
    # Real Tai'an records whose main IPC is a battery code (H01M).
    source = data_dir / "cn_patents_shandong_taian" / "taian_patents.csv.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["main_ipc"].startswith("H01M")]
    assert len(rows) == 4
    path = tmp_path / "taian_batteries.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_patents", path, "--format", "table", "--no-progress")
    run = TaggingRun.objects.get(chain=nev_chain)
    assert run.status == TaggingRun.Status.SUCCEEDED and not run.full
    tagged = set(
        PatentNodeTag.objects.filter(node__key="nev-battery").values_list(
            "patent__main_ipc", flat=True
        )
    )
    assert len(tagged) >= 1 and all(code.startswith("H01M") for code in tagged)
    assert PatentNodeTag.objects.filter(node__key="nev-battery").count() == len(rows)

    # A re-import updates the rows: one more incremental run, the same tags.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_patents", path, "--format", "table", "--no-progress")
    assert PatentNodeTag.objects.filter(node__key="nev-battery").count() == len(rows)
    assert TaggingRun.objects.filter(chain=nev_chain).count() == 2
