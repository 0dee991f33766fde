"""Reading import files: encodings, byte progress, line numbers, bad cells.

Parsers read through these helpers so every format behaves the same way on
bad input: a row that cannot be decoded, or that holds a spreadsheet formula,
becomes a ``RowError`` with its line number instead of stopping the import.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

from .records import RowError

# Patent exports can carry whole claims in one cell.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_SNIFF_BYTES = 256 * 1024
_FORMULA_RE = re.compile(r"^[=+\-@][A-Za-z_]+[A-Za-z0-9_.]*\(")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (wrong format, missing columns)."""


class _CountingReader(io.RawIOBase):
    """A binary file that remembers how many bytes were read (for progress bars)."""

    def __init__(self, raw) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._raw.readinto(buffer)
        self.count += n or 0
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the sample decodes as such, else the best guess.

    Chinese patent databases often export GBK/GB18030; GB18030 is a superset
    of GBK and GB2312, so a GBK-family guess is decoded as GB18030.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # The sample may end inside a multi-byte character.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample).best()
    if best is None:
        return "utf-8"
    encoding = best.encoding.lower().replace("_", "")
    if encoding in {"gbk", "gb2312", "gb18030", "hz"}:
        return "gb18030"
    return best.encoding


@dataclass
class ImportSource:
    """A file (or a folder of files) being imported, with byte-level progress."""

    path: Path
    encoding: str = "auto"
    _readers: list[_CountingReader] = field(default_factory=list)
    # Set by readers that cannot count bytes linearly (Excel is a zip read out of
    # order): the share of the file done, 0..1.
    fraction_done: float | None = None

    @property
    def bytes_total(self) -> int:
        if self.path.is_dir():
            return sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())
        return self.path.stat().st_size

    @property
    def bytes_read(self) -> int:
        if self.fraction_done is not None:
            return int(self.bytes_total * self.fraction_done)
        return sum(r.count for r in self._readers)

    def open_binary(self, path: Path | None = None) -> _CountingReader:
        reader = _CountingReader(open(path or self.path, "rb", buffering=0))  # noqa: SIM115
        self._readers.append(reader)
        return reader

    def open_text(self, path: Path | None = None) -> io.TextIOWrapper:
        """Decoded text of a file; ``.gz`` files are decompressed on the fly
        (progress still counts compressed bytes, which is what ``bytes_total`` sums)."""
        target = Path(path or self.path)
        compressed = target.suffix == ".gz"
        encoding = self.encoding
        if encoding == "auto":
            opener = gzip.open if compressed else open
            with opener(target, "rb") as handle:
                encoding = detect_encoding(handle.read(_SNIFF_BYTES))
        raw = io.BufferedReader(self.open_binary(target), buffer_size=1 << 20)
        binary = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        # surrogateescape keeps undecodable bytes visible, so the row holding
        # them is rejected with a reason instead of the whole file failing.
        return io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")

    def close(self) -> None:
        for reader in self._readers:
            if not reader.closed:
                reader.close()


def cell_problem(value: str) -> str | None:
    """Why a cell cannot be trusted, or None."""
    if not value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _(
            "the row is not valid text in the file's encoding (is this row GBK in a UTF-8 file?)"
        )
    if value[0] in "=+-@" and _FORMULA_RE.match(value):
        return _("a cell holds a spreadsheet formula (%(value)s); export values, not formulas") % {
            "value": value[:40]
        }
    return None


def csv_dict_rows(
    source: ImportSource,
    path: Path | None = None,
    *,
    required: tuple[str, ...] = (),
    delimiter: str | None = None,
) -> Iterator[tuple[int, dict[str, str]] | RowError]:
    """(line number, row) for each data row of a CSV file, or a RowError for a bad one.

    The line number is the physical line where the record starts, counting
    the header as line 1, so it matches what an editor shows. ``.tsv`` files
    (PatentsView's bulk tables) are tab-separated unless told otherwise.
    """
    target = Path(path or source.path)
    if delimiter is None:
        delimiter = "\t" if target.name.removesuffix(".gz").endswith(".tsv") else ","
    handle = source.open_text(path)
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise ImportFileError(
            _("the header cannot be read as CSV: %(error)s") % {"error": exc}
        ) from exc
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError(
            _("the file lacks required columns: %(columns)s") % {"columns": ", ".join(missing)}
        )
    width = len(header)
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield RowError(line, _("malformed CSV: %(error)s") % {"error": exc})
            line = reader.line_num + 1
            continue
        start, line = line, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue  # blank lines are not rows
        if len(values) != width:
            yield RowError(
                start,
                _("expected %(expected)d columns, found %(found)d")
                % {"expected": width, "found": len(values)},
                _excerpt(values),
            )
            continue
        problem = next((p for v in values if (p := cell_problem(v))), None)
        if problem:
            yield RowError(start, problem, _excerpt(values))
            continue
        yield start, dict(zip(header, values, strict=True))


def _excerpt(values: list[str]) -> str:
    text = ",".join(values)
    return text.encode("utf-8", "replace").decode("utf-8")[:200]


def excerpt_of(row: dict[str, str]) -> str:
    return _excerpt(list(row.values()))


EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def excel_dict_rows(
    source: ImportSource, *, sheet: str | None = None
) -> Iterator[tuple[int, dict[str, object]] | RowError]:
    """(row number, row) for each data row of a worksheet, like ``csv_dict_rows``.

    Formula cells are rejected with their row: a formula's cached value may be
    stale or absent, and the uploader should export values. Dates stay dates.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(source.path, read_only=True, data_only=False)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ImportFileError(
            _("the file cannot be read as an Excel workbook: %(error)s") % {"error": exc}
        ) from exc
    try:
        if sheet and sheet not in workbook.sheetnames:
            raise ImportFileError(
                _("the workbook has no sheet %(sheet)r (it has: %(sheets)s)")
                % {"sheet": sheet, "sheets": ", ".join(workbook.sheetnames)}
            )
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        total_rows = worksheet.max_row or 0
        rows = worksheet.iter_rows()
        header_cells = next(rows, None)
        if header_cells is None:
            return
        header = [_excel_text(c.value).strip().lstrip("\ufeff") for c in header_cells]
        for number, cells in enumerate(rows, start=2):
            if total_rows:
                source.fraction_done = min(1.0, number / total_rows)
            values = [c.value for c in cells]
            if not any(v not in (None, "") for v in values):
                continue
            formula = next(
                (c for c in cells if getattr(c, "data_type", "") == "f" and c.value), None
            )
            texts = [v if _is_date(v) else _excel_text(v) for v in values]
            excerpt = _excerpt([str(t) for t in texts])
            if formula is not None:
                yield RowError(
                    number,
                    _(
                        "cell %(cell)s holds a spreadsheet formula (%(value)s); export values, "
                        "not formulas"
                    )
                    % {"cell": formula.coordinate, "value": str(formula.value)[:40]},
                    excerpt,
                )
                continue
            problem = next(
                (p for t in texts if isinstance(t, str) and (p := cell_problem(t))), None
            )
            if problem:
                yield RowError(number, problem, excerpt)
                continue
            texts += [""] * (len(header) - len(texts))
            yield number, {h: t for h, t in zip(header, texts, strict=False) if h}
    finally:
        workbook.close()


def _is_date(value: object) -> bool:
    import datetime as dt

    return isinstance(value, dt.date)


def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel stores every number as a float: 5 not 5.0, and long numbers whole.
        return str(int(value))
    return str(value)
