"""Bad rows are reported with line and reason (in Chinese, as uploaders read them);
good rows still land; re-imports
are idempotent and a newer file updates records.

Inputs are real CN records (cn_g06f_patents_with_abstracts.csv) laid out as a
CNIPA-style export; each test breaks specific cells to exercise one failure.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from patents.models import Patent, PatentApplicant, PatentClassification

COUNTS = re.compile(r"read (\d+), created (\d+), updated (\d+), rejected (\d+)")
REPORT = re.compile(r"error report: (.+)")
HEADER = ["公开（公告）号", "申请号", "标题", "摘要", "申请人", "申请人地址", "IPC分类号", "申请日"]


@pytest.fixture
def real_rows(data_dir) -> list[list[str]]:
    """Ten titled CN records as rows under HEADER (no applicant data in the source:
    applicant columns stay empty unless a test fills them)."""
    path = data_dir / "cn_patents_zh" / "cn_g06f_patents_with_abstracts.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["title_zh"].strip()][:10]
    return [
        [r["publication_number"], "", r["title_zh"], r["abstract_zh"], "", "", "G06F", ""]
        for r in rows
    ]


def write_csv(path: Path, rows, encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def run(capsys, path, fmt="table", *extra):
    call_command("import_patents", path, "--format", fmt, "--no-progress", *extra)
    out = capsys.readouterr().out
    counts = tuple(int(g) for g in COUNTS.search(out).groups())
    report = REPORT.search(out)
    errors = []
    if report:
        with open(report.group(1).strip(), encoding="utf-8-sig") as handle:
            errors = list(csv.DictReader(handle))
    return counts, errors


@pytest.mark.django_db
def test_missing_number_malformed_date_and_codes(tmp_path, capsys, real_rows):
    rows = [list(r) for r in real_rows]
    rows[1][0] = ""  # line 3: no publication number
    rows[3][7] = "2021-13-45"  # line 5: impossible date
    rows[4][7] = "last spring"  # line 6: not a date
    rows[5][6] = "G06F; XYZ123"  # line 7: malformed IPC code
    rows[6][1] = "202110123456.1"  # line 8: CN application number with a wrong check digit
    rows[7][0] = "CN-#12"  # line 9: malformed publication number
    rows[2][7] = "2021年3月5日"  # a valid Chinese date lands
    rows[2][1] = "202110123456"  # check digit missing: computed

    counts, errors = run(capsys, write_csv(tmp_path / "export.csv", rows))

    assert counts == (10, 4, 0, 6)
    reasons = {int(e["line"]): e["reason"] for e in errors}
    assert set(reasons) == {3, 5, 6, 7, 8, 9}
    assert reasons[3] == "缺少公开（公告）号"
    assert reasons[5] == "日期不存在：'2021-13-45'"
    assert reasons[6] == "日期格式错误：'last spring'"
    assert reasons[7] == "分类号格式错误：'XYZ123'"
    assert "的校验位应为" in reasons[8]
    assert reasons[9].startswith("公开（公告）号格式错误")
    assert errors[0]["excerpt"]  # the row is shown so the uploader can find it
    good = Patent.objects.get(publication_number=real_rows[2][0])
    assert str(good.application_date) == "2021-03-05"
    assert good.application_number.startswith("CN202110123456.")
    assert good.full_clean(validate_unique=False) is None
    assert Patent.objects.count() == 4


@pytest.mark.django_db
def test_gbk_file_is_detected_and_imported(tmp_path, capsys, real_rows):
    # GBK cannot encode every character of every abstract (e.g. U+2011).
    rows = [
        r for r in real_rows if ",".join(r).encode("gbk", "ignore").decode("gbk") == ",".join(r)
    ]
    assert len(rows) >= 5
    path = write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    counts, errors = run(capsys, path)
    assert counts == (len(rows), len(rows), 0, 0) and errors == []
    assert Patent.objects.get(publication_number=rows[0][0]).abstract == rows[0][3]


@pytest.mark.django_db
def test_gbk_row_inside_utf8_file_is_rejected(tmp_path, capsys, real_rows):
    path = tmp_path / "mixed.csv"
    good = write_csv(tmp_path / "good.csv", real_rows[:5]).read_bytes()
    bad_line = ",".join(real_rows[5][:3]).encode("gbk") + b",,,,,\r\n"
    tail = b"".join(
        (",".join(f'"{c}"' for c in row) + "\r\n").encode("utf-8") for row in real_rows[6:8]
    )
    path.write_bytes(good + bad_line + tail)
    counts, errors = run(capsys, path)
    assert counts == (8, 7, 0, 1)
    assert int(errors[0]["line"]) == 7
    assert "GBK" in errors[0]["reason"]


@pytest.mark.django_db
def test_excel_formula_cells_are_rejected(tmp_path, capsys, real_rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in real_rows[:4]:
        sheet.append(row)
    sheet["C3"] = '=CONCATENATE("一种", "方法")'  # row 3: a formula instead of a title
    sheet["H4"] = "=TODAY()"
    path = tmp_path / "export.xlsx"
    workbook.save(path)

    counts, errors = run(capsys, path)
    assert counts == (4, 2, 0, 2)
    assert [int(e["line"]) for e in errors] == [3, 4]
    assert errors[0]["reason"].startswith("单元格 C3 中是电子表格公式")
    assert "H4" in errors[1]["reason"]
    assert not Patent.objects.filter(publication_number=real_rows[1][0]).exists()


@pytest.mark.django_db
def test_excel_formula_in_csv_is_rejected(tmp_path, capsys, real_rows):
    rows = [list(r) for r in real_rows[:3]]
    rows[1][3] = '=HYPERLINK("http://example.org","x")'
    counts, errors = run(capsys, write_csv(tmp_path / "f.csv", rows))
    assert counts == (3, 2, 0, 1)
    assert int(errors[0]["line"]) == 3 and "公式" in errors[0]["reason"]


@pytest.mark.django_db
def test_same_file_twice_then_newer_file_updates(tmp_path, capsys, real_rows):
    rows = [list(r) for r in real_rows[:5]]
    rows[0][4] = "山东大学；浪潮电子信息产业股份有限公司"
    rows[0][5] = "山东省济南市历城区山大南路27号"
    rows[0][6] = "G06F16/00; G06N3/08"
    path = write_csv(tmp_path / "v1.csv", rows)

    assert run(capsys, path)[0] == (5, 5, 0, 0)
    snapshot = sorted(Patent.objects.values_list("publication_number", "title", "main_ipc"))
    assert run(capsys, path)[0] == (5, 0, 5, 0)
    assert sorted(Patent.objects.values_list("publication_number", "title", "main_ipc")) == (
        snapshot
    )
    first = Patent.objects.get(publication_number=rows[0][0])
    assert first.applicant_links.count() == 2
    assert PatentClassification.objects.filter(patent=first).count() == 2

    # A newer export: a corrected title, one applicant fewer, one more record.
    rows[0][2] = rows[0][2] + "（修正）"
    rows[0][4] = "山东大学"
    rows.append(list(real_rows[5]))
    assert run(capsys, write_csv(tmp_path / "v2.csv", rows))[0] == (6, 1, 5, 0)
    first.refresh_from_db()
    assert first.title.endswith("（修正）")
    assert list(first.applicant_links.values_list("raw_name", flat=True)) == ["山东大学"]
    assert Patent.objects.count() == 6
    assert PatentApplicant.objects.count() == 1


@pytest.mark.django_db
def test_unmapped_file_fails_with_a_clear_message(tmp_path, real_rows):
    from django.core.management.base import CommandError

    path = tmp_path / "odd.csv"
    path.write_text("编号,名字\nCN1,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="找不到 publication_number, title 对应的列"):
        call_command("import_patents", path, "--format", "table", "--no-progress")
    mapped = '{"编号": "publication_number", "名字": "title"}'
    path.write_text(f"编号,名字\n{real_rows[0][0]},{real_rows[0][2]}\n", encoding="utf-8")
    call_command("import_patents", path, "--format", "table", "--no-progress", "--mapping", mapped)
    assert Patent.objects.get(publication_number=real_rows[0][0]).title == real_rows[0][2]
