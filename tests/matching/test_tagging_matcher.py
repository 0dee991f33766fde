"""IPC prediction, keywords, the matcher and the batch commands, on real CN patents."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from matching.embeddings import patent_embed_batch
from matching.matcher import match_text, patent_needs
from matching.models import MatchWeights, PatentSignal, TechNeed
from matching.services import need_tag
from patents.tagging import ipc_predict, keywords_extract


def test_ipc_predict_contract_shape_and_a_known_class():
    # Title of a real utility model outside the training rows' exact wording.
    result = ipc_predict(
        texts=[
            "一种锂离子电池正极材料及其制备方法",
            "Graphics processing unit with ray tracing cores",
        ],
        top=5,
    )
    assert len(result) == 2
    for labels in result:
        assert len(labels) == 5
        scores = [s for _c, s in labels]
        assert scores == sorted(scores, reverse=True)
        assert all(len(code) == 4 for code, _s in labels)
    assert "H01M" in [c for c, _s in result[0][:3]]
    assert result[1][0][0] in {"G06T", "G06F", "G06N"}
    assert ipc_predict(texts=[], top=5) == []


def test_keywords_drop_boilerplate():
    words = [k for k, _w in keywords_extract(text="一种水电站高压输电线路驱鸟保护装置", top=5)]
    assert "一种" not in words and "装置" not in words
    assert any("输电" in w or "驱鸟" in w for w in words)


@pytest.mark.django_db
def test_matcher_ranks_the_matching_patent_first_with_reasons(cn_patents):
    # Vectors for a few patents exercise the semantic path (embedding is slow on CPU).
    patent_embed_batch(patent_ids=[p.pk for p in cn_patents[:8]])
    assert PatentSignal.objects.count() == 8
    target = cn_patents[0]  # 一种水电站高压输电线路驱鸟保护装置 (A01M|G06F|H02G)
    results = match_text(text="需要防止鸟类在高压输电线路上筑巢的驱鸟设备", top=10)
    assert results, "no match at all"
    assert results[0].patent_id == target.pk
    assert any(r.startswith("需求与专利均涉及") for r in results[0].reasons)
    assert results[0].score >= results[-1].score


@pytest.mark.django_db
def test_weights_change_the_ranking_signal_mix(cn_patents):
    MatchWeights.objects.create(
        programme_line="talent",
        lexical=0,
        semantic=0,
        ipc=0,
        consensus=0,
        holder=0,
        region=0,
        legal_status=0,
        availability=0,
    )
    text = cn_patents[0].title
    results = match_text(text=text, top=5, programme_line="talent")
    # Not an all() over nothing: the patent whose title is the query is found,
    # and every signal weighted zero leaves it (and the rest) at score 0.
    assert cn_patents[0].pk in [r.patent_id for r in results]
    assert all(r.score == 0 for r in results)
    default = match_text(text=text, top=5, programme_line="industry_operations")
    assert default and default[0].score > 0


@pytest.mark.django_db
def test_need_tagging_and_reverse_matching(cn_patents, enterprise):
    need = TechNeed.objects.create(
        organization=enterprise,
        title="输电线路驱鸟",
        description="高压输电线路上鸟类筑巢造成跳闸，寻求驱鸟保护装置。",
        industry="electrical",
        cooperation_mode="licence",
        contact_name="张",
        contact_mobile="13800138000",
        status=TechNeed.Status.PUBLISHED,
    )
    need_tag(need_id=need.pk)
    need.refresh_from_db()
    assert len(need.predicted_ipc) == 5
    assert need.keywords
    answers = patent_needs(patent=cn_patents[0])
    assert answers and answers[0].need_id == need.pk


@pytest.mark.django_db
def test_predict_ipc_and_match_needs_commands(tmp_path, cn_patents, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": 1, "text": "一种水电站高压输电线路驱鸟保护装置"}, ensure_ascii=False)
        + "\n"
        + "not json\n"
        + json.dumps({"id": 3, "text": ""})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit):
        call_command("predict_ipc", "--input", str(source), "--output", str(out), "--top", "5")
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == [1]
    assert len(lines[0]["labels"]) == 5 and {"code", "score"} <= set(lines[0]["labels"][0])
    err = capsys.readouterr().err
    assert "line 2" in err and "line 3" in err

    good = tmp_path / "needs.jsonl"
    good.write_text(
        json.dumps({"id": "n1", "text": "高压输电线路驱鸟"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    matched = tmp_path / "matched.jsonl"
    call_command("match_needs", "--input", str(good), "--output", str(matched), "--top", "20")
    record = json.loads(matched.read_text(encoding="utf-8"))
    assert record["id"] == "n1"
    assert record["results"][0]["publication_number"] == cn_patents[0].publication_number


@pytest.mark.django_db
def test_staff_batch_matching_from_excel(client, staff_user, cn_patents):
    workbook = openpyxl.Workbook()
    workbook.active.append(["id", "text"])
    workbook.active.append(["A1", "高压输电线路驱鸟"])
    workbook.active.append(["A2", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "needs.xlsx"
    client.force_login(staff_user)
    response = client.post(reverse("matching:match_batch"), {"file": buffer})
    assert response.status_code == 200
    result = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(result.worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == "A1" and rows[1][2] == cn_patents[0].publication_number
    errors = list(result.worksheets[1].iter_rows(values_only=True))
    assert errors[1][0] == 3


@pytest.mark.django_db
def test_a_batch_ranks_each_need_as_matching_it_alone_does(cn_patents):
    from matching.embeddings import VectorIndex
    from matching.matcher import match_texts

    patent_embed_batch(patent_ids=[p.pk for p in cn_patents[:8]])
    VectorIndex.invalidate()
    texts = ["需要防止鸟类在高压输电线路上筑巢的驱鸟设备", "  ", "废水循环利用的自动洗车装置"]
    batch = match_texts(texts=texts, top=10)
    assert batch[1] == []
    for text, results in zip(texts[::2], batch[::2], strict=True):
        alone = match_text(text=text, top=10)
        assert results, text
        assert [(m.publication_number, m.score) for m in results] == [
            (m.publication_number, m.score) for m in alone
        ]
