"""Batch matching: JSONL for the command, Excel for staff uploads."""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Iterable, Iterator

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.exports import xlsx_append

from ..matcher import match_texts

# Needs matched together: the models and the semantic stage run once per chunk;
# memory stays bounded by the chunk, whatever the size of the input file.
BATCH_CHUNK = 100


def _chunks(items: Iterable, size: int = BATCH_CHUNK) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def match_batch_rows(*, rows: Iterable[tuple[str, str]], top: int = 20) -> Iterator[dict]:
    for chunk in _chunks(rows):
        for (need_id, _text), results in zip(
            chunk, match_texts(texts=[text for _id, text in chunk], top=top), strict=True
        ):
            yield {
                "id": need_id,
                "results": [
                    {
                        "publication_number": m.publication_number,
                        "score": m.score,
                        "reasons": m.reasons,
                    }
                    for m in results
                ],
            }


def read_jsonl(lines: Iterable[str]) -> Iterator[tuple[int, object, str | None, str | None]]:
    """(line number, id, text, error) per non-empty line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, None, None, f"invalid JSON: {error.msg}"
            continue
        if (
            not isinstance(record, dict)
            or "id" not in record
            or not str(record.get("text") or "").strip()
        ):
            yield (
                number,
                record.get("id") if isinstance(record, dict) else None,
                None,
                "needs 'id' and non-empty 'text'",
            )
            continue
        yield number, record["id"], str(record["text"]), None


def match_batch_excel(*, file, top: int = 20) -> bytes:
    """Sheet with columns id, text (first row is the header) → results workbook."""
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as error:
        raise ValidationError(_("The file is not an Excel (.xlsx) workbook.")) from error
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    if not rows:
        raise ValidationError(_("The sheet is empty."))
    header = [str(c or "").strip().lower() for c in rows[0]]
    id_col = next((i for i, h in enumerate(header) if h in ("id", "编号")), None)
    text_col = next(
        (i for i, h in enumerate(header) if h in ("text", "需求", "需求描述", "description")), None
    )
    if id_col is None or text_col is None:
        raise ValidationError(_("The first row must name the columns id and text."))
    out = openpyxl.Workbook()
    sheet = out.active
    xlsx_append(sheet, [_("Need id"), _("Rank"), _("Publication number"), _("Score"), _("Reasons")])
    errors = out.create_sheet(_("Errors"))
    xlsx_append(errors, [_("Line"), _("Reason")])
    needs = []
    for line, row in enumerate(rows[1:], start=2):
        need_id = row[id_col] if id_col < len(row) else None
        text = str(row[text_col] or "").strip() if text_col < len(row) else ""
        if need_id in (None, "") or not text:
            xlsx_append(errors, [line, _("id or text is empty")])
            continue
        needs.append((need_id, text))
    for chunk in _chunks(needs):
        matched = match_texts(texts=[text for _id, text in chunk], top=top)
        for (need_id, _text), matches in zip(chunk, matched, strict=True):
            for rank, match in enumerate(matches, start=1):
                xlsx_append(
                    sheet,
                    [
                        str(need_id),
                        rank,
                        match.publication_number,
                        match.score,
                        "；".join(match.reasons),
                    ],
                )
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
