"""Excel import of needs collected at events: good rows kept, bad rows reported."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from matching.models import TechNeed

from .conftest import computed_uscc

HEADER = [
    "企业名称",
    "统一社会信用代码",
    "联系人",
    "手机",
    "需求名称",
    "需求描述",
    "行业",
    "合作方式",
    "预算",
    "截止日期",
]


def _sheet(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "needs.xlsx"
    return buffer


@pytest.mark.django_db
def test_import_keeps_good_rows_and_reports_bad_ones(client, staff_user):
    good = computed_uscc("MA3C5D1X")
    sheet = _sheet(
        [
            [
                "济南某机械有限公司",
                good,
                "张工",
                "13800138000",
                "寻求齿轮降噪技术",
                "减速机齿轮啮合噪声大，寻求降噪工艺与齿形修形方案。",
                "机械工程",
                "专利许可",
                "",
                "2027-01-31",
            ],
            [
                "坏代码公司",
                "91370100MA3C5D1X2A",
                "李",
                "13800138001",
                "需求",
                "描述描述描述描述描述描述描述描述描述描述",
                "机械工程",
                "专利许可",
                "",
                "",
            ],
            [
                "手机错误公司",
                good,
                "王",
                "12345",
                "需求二",
                "描述描述描述描述描述描述描述描述描述描述",
                "机械工程",
                "专利许可",
                "",
                "",
            ],
            [
                "未知方式公司",
                good,
                "赵",
                "13800138002",
                "需求三",
                "描述描述描述描述描述描述描述描述描述描述",
                "机械工程",
                "以物易物",
                "",
                "",
            ],
            [
                "日期错误公司",
                good,
                "钱",
                "13800138003",
                "需求四",
                "描述描述描述描述描述描述描述描述描述描述",
                "机械工程",
                "专利转让",
                "",
                "明年",
            ],
        ]
    )
    client.force_login(staff_user)
    response = client.post(reverse("matching:need_import"), {"file": sheet})
    assert response.status_code == 200
    need = TechNeed.objects.get()
    assert need.title == "寻求齿轮降噪技术"
    assert need.source == TechNeed.Source.IMPORT
    assert need.cooperation_mode == "licence" and need.industry == "mechanical"
    errors = response.context["report"].errors
    assert [line for line, _reason in errors] == [3, 4, 5, 6]
    page = response.content.decode()
    assert "以物易物" in page


@pytest.mark.django_db
def test_import_refuses_a_non_excel_file(client, staff_user):
    client.force_login(staff_user)
    fake = io.BytesIO(b"name,uscc\n")
    fake.name = "needs.xlsx"
    response = client.post(reverse("matching:need_import"), {"file": fake})
    assert "xlsx" in response.content.decode()
    assert not TechNeed.objects.exists()
