"""Policy library: import (CSV/JSON, per-row errors, idempotent), search, demo seed."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from trading.demo import POLICY_SEED
from trading.models import Policy
from trading.selectors import policies_search
from trading.services.policies import policy_import

pytestmark = pytest.mark.django_db

HEADER = "title,issuer,document_number,level,region,topic,issued_on,effective_on,url,summary,"
CSV = (
    HEADER
    + """full_text
专利转化运用专项行动方案（2023—2025年）,国务院办公厅,国办发〔2023〕37号,national,,专利转化运用,2023-10-17,,,全面实施专利开放许可制度，盘活高校存量专利。,
,国务院,,national,,,2023-12-11,,,,
某省政策,某省人民政府,,provincial,,,2024-01-01,,,,
某市政策,某市人民政府,,city,999999,,2024-01-01,,,,
某政策,某单位,,district,,,2024-01-01,,,,
某政策二,某单位,,national,,,2024-02-30,,,,
某政策三,某单位,,national,,,2024-02-01,2024-01-01,,,
某政策四,某单位,,national,,,2024-02-01,,ftp://example.org/x,,
"""
)


def test_csv_import_reports_each_bad_row_and_keeps_good_ones():
    report = policy_import(content=CSV.encode("utf-8-sig"), fmt="csv")
    assert report.created == 1
    reasons = {e["line"]: e["reason"] for e in report.errors}
    assert set(reasons) == {3, 4, 5, 6, 7, 8, 9}
    assert "title is required" in reasons[3]
    assert "needs its region code" in reasons[4]
    assert "unknown region code 999999" in reasons[5]
    assert "level must be" in reasons[6]
    assert "not a date" in reasons[7]
    assert "before issued_on" in reasons[8]
    assert "http(s)" in reasons[9]
    again = policy_import(content=CSV.encode(), fmt="csv")
    assert (again.created, again.unchanged) == (0, 1)
    assert Policy.objects.count() == 1


def test_json_import_updates_by_issuer_and_number_and_bad_files_are_reported():
    item = {
        "title": "专利转化运用专项行动方案（2023—2025年）",
        "issuer": "国务院办公厅",
        "document_number": "国办发〔2023〕37号",
        "level": "国家",
        "issued_on": "2023年10月17日",
        "summary": "初稿",
    }
    assert policy_import(content=json.dumps([item]).encode(), fmt="json").created == 1
    changed = policy_import(
        content=json.dumps({"policies": [item | {"summary": "修订后的摘要"}, "x"]}).encode(),
        fmt="json",
    )
    assert changed.updated == 1 and changed.errors == [
        {"line": 2, "reason": "each policy must be an object"}
    ]
    assert Policy.objects.get().summary == "修订后的摘要"
    assert policy_import(content=b"{not json", fmt="json").errors[0]["line"] == 0
    header = policy_import(content=b"title,level\nx,national\n", fmt="csv")
    assert "issued_on" in header.errors[0]["reason"]


def test_search_uses_the_search_analysis_and_filters(settings):
    call_command("trading_policy_import", str(POLICY_SEED))
    assert Policy.objects.count() == 3
    hits = policies_search(text="开放许可")
    assert {p.document_number for p in hits} == {
        "中华人民共和国主席令第五十五号",
        "中华人民共和国国务院令第769号",
        "国办发〔2023〕37号",
    }
    # Every word must occur; the title match ranks first and is highlighted.
    ranked = policies_search(text="专利转化运用 开放许可")
    assert [p.document_number for p in ranked] == ["国办发〔2023〕37号"]
    assert "<mark>" in ranked[0].snippet
    assert policies_search(text="实施细则 期限补偿")[0].issuer == "国务院"
    assert policies_search(text="完全无关的词语组合") == []
    assert policies_search(level="provincial").count() == 0
    assert policies_search(topic="专利法律法规").count() == 2
    import datetime as dt

    assert policies_search(date_from=dt.date(2023, 1, 1)).count() == 2


def test_policy_page_searches_and_explains_bad_filters(client):
    call_command("trading_policy_import", str(POLICY_SEED))
    page = client.get("/trading/policies/", {"q": "开放许可", "level": "national"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "国办发〔2023〕37号" in body and "<mark>" in body
    bad = client.get("/trading/policies/", {"region": "37"})
    assert bad.status_code == 200 and "policy-errors" in bad.content.decode()


def test_demo_seed_is_idempotent_and_has_no_invented_text():
    policy_import(content=POLICY_SEED.read_bytes(), fmt="json")
    second = policy_import(content=POLICY_SEED.read_bytes(), fmt="json")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert all(p.full_text == "" and p.url == "" for p in Policy.objects.all())
