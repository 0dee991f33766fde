from __future__ import annotations

import pytest

from operations_center.models import ChainNode, PatentNodeTag
from operations_center.services import tagging
from operations_center.services.tagging import chain_tag, tag_add, tag_review
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def tags_of(node_key):
    return set(
        PatentNodeTag.objects.filter(node__key=node_key).values_list("patent__title", flat=True)
    )


def test_rules_tag_by_code_prefix_keyword_and_mode(nev_chain, landscape):
    written = chain_tag(chain=nev_chain, full=True)
    assert written == PatentNodeTag.objects.count()
    assert tags_of("nev-battery") == {
        "一种锂离子电池正极材料及其制备方法",
        "一种动力电池热管理系统",
        "一种燃料电池汽车储氢瓶阀门",  # no code, but 燃料电池 is in the keyword expression
    }
    # H02K needs a vehicle keyword: the bare rotor patent stays out.
    assert tags_of("nev-motor") == {"一种电动汽车驱动电机冷却结构"}
    assert "一种电动汽车充电桩" in tags_of("nev-charging")
    assert "一种水电站高压输电线路驱鸟保护装置" not in set(
        PatentNodeTag.objects.values_list("patent__title", flat=True)
    )
    reason = PatentNodeTag.objects.get(node__key="nev-motor").reason
    assert reason == "IPC H02K9/19"
    keyword_tag = PatentNodeTag.objects.get(
        node__key="nev-battery", patent__title="一种燃料电池汽车储氢瓶阀门"
    )
    assert keyword_tag.source == "keyword"
    assert "燃料电池" in keyword_tag.reason


def test_corrections_win_over_rules_on_rerun(nev_chain, landscape):
    chain_tag(chain=nev_chain, full=True)
    staff = UserFactory(is_staff=True)
    tag = PatentNodeTag.objects.get(node__key="nev-motor")
    tag_review(tag=tag, status=PatentNodeTag.Status.REJECTED, user=staff)
    rotor = landscape["patents"][3]
    motor = ChainNode.objects.get(key="nev-motor")
    tag_add(patent=rotor, node=motor, user=staff, reason="traction motor rotor")
    chain_tag(chain=nev_chain, full=True)
    tag.refresh_from_db()
    assert tag.status == PatentNodeTag.Status.REJECTED
    assert PatentNodeTag.objects.get(node=motor, patent=rotor).status == "confirmed"


def test_incremental_run_retags_changed_nodes_only(nev_chain, landscape):
    chain_tag(chain=nev_chain, full=True)
    battery = ChainNode.objects.get(key="nev-battery")
    battery.keywords_zh = "动力电池"
    battery.keywords_en = ""
    battery.save()
    chain_tag(chain=nev_chain)
    # The keyword-only tag of the fuel-cell valve is gone; the H01M tags remain.
    assert tags_of("nev-battery") == {
        "一种锂离子电池正极材料及其制备方法",
        "一种动力电池热管理系统",
    }


def test_predicted_ipc_tags_patents_without_codes(nev_chain, landscape, monkeypatch):
    calls = []

    def fake_predict(*, texts, top=3):
        calls.append(texts)
        return [[("B60L", 0.9)] if "储氢" in t else [] for t in texts]

    monkeypatch.setattr(tagging, "predict_ipc", fake_predict)
    chain_tag(chain=nev_chain, full=True)
    assert calls and all(len(batch) == 1 for batch in calls)  # only the patent without codes
    tag = PatentNodeTag.objects.get(node__key="nev-electric-propulsion", source="predicted")
    assert tag.reason == "predicted IPC B60L (0.90)"


def test_a_failing_predictor_is_a_no_op(monkeypatch):
    from operations_center.services.predictor import predict_ipc

    def broken(*, texts, top):
        raise OSError("model file missing")

    monkeypatch.setattr("patents.tagging.ipc_predict", broken)
    assert predict_ipc(texts=["一种电池", "一种电机"]) == [[], []]


def test_rerun_without_changes_writes_nothing_and_reports_progress(nev_chain, landscape):
    first = chain_tag(chain=nev_chain, full=True)
    before = set(PatentNodeTag.objects.values_list("id", "node_id", "patent_id", "reason"))
    seen = []
    again = chain_tag(chain=nev_chain, full=True, progress=lambda d, t: seen.append((d, t)))
    assert first == len(before) and again == 0
    # Unchanged tags are kept as they are (same rows), not deleted and re-inserted.
    assert set(PatentNodeTag.objects.values_list("id", "node_id", "patent_id", "reason")) == before
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(d <= t for d, t in seen)


def test_incremental_run_tags_a_changed_patent(nev_chain, landscape):
    from tests.operations_center.conftest import make_patent

    chain_tag(chain=nev_chain)
    # Title of CN114050246A (data/cn_patents_zh); a group-level code for the reason.
    patent = make_patent(
        title="微米级多孔硫酸亚铁钠/碳复合正极材料及其制备的钠离子电池或钠电池", ipc=("H01M4/58",)
    )
    chain_tag(chain=nev_chain)
    tag = PatentNodeTag.objects.get(node__key="nev-battery", patent=patent)
    assert tag.reason == "IPC H01M4/58"
