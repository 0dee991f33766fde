"""Rows → PostgreSQL ``COPY … FROM STDIN`` payloads (CSV), built apart from sending them
so a pipelined writer can format on one thread while another connection loads."""

from __future__ import annotations

import csv
import io
import json

COPY_OPTIONS = "WITH (FORMAT csv, NULL '\\N')"


def csv_cell(value: object) -> object:
    if value is None:
        return "\\N"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "t" if value else "f"
    return value


NULL = "\\N"


def json_list(values: list[str]) -> str:
    """``json.dumps(values, ensure_ascii=False)`` for lists of plain codes, without
    the encoder's per-call overhead (the hot spot of formatting a patent row);
    anything a code could need escaped takes json.dumps."""
    if not values:
        return "[]"
    joined = '", "'.join(values)
    if "\\" in joined or joined.count('"') != 2 * (len(values) - 1) or not joined.isprintable():
        return json.dumps(values, ensure_ascii=False)
    return '["' + joined + '"]'


def copy_payload(rows, *, plain: bool = False) -> bytes:
    """CSV bytes for COPY. ``plain`` rows hold only str/int/bool values (no None or
    lists) and skip the per-cell conversion, the hot spot here; the csv module
    writes Python's True/False, which COPY reads as boolean literals."""
    buffer = io.StringIO()
    # "\r\n" makes the csv module quote any cell holding \r or \n; PostgreSQL would
    # otherwise read a bare \r inside a title as the end of the row.
    writer = csv.writer(buffer, lineterminator="\r\n")
    if plain:
        writer.writerows(rows)
    else:
        writer.writerows([csv_cell(v) for v in row] for row in rows)
    # PostgreSQL text cannot hold NUL at all (COPY aborts the whole batch on one); a NUL
    # in an export is an artefact of the file, never content, so it is dropped here,
    # in one pass over the payload rather than per cell.
    return buffer.getvalue().replace("\x00", "").encode()


def copy_in(cursor, table: str, columns: tuple[str, ...], payload: bytes) -> None:
    if not payload:
        return
    cursor.copy_expert(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN {COPY_OPTIONS}", io.BytesIO(payload)
    )
