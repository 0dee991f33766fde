"""Reading import files: encodings, byte progress, line numbers, bad cells.

Parsers read through these helpers so every format behaves the same way on
bad input: a row that cannot be decoded, or that holds a spreadsheet formula,
becomes a ``RowError`` with its line number instead of stopping the import.
"""

from __future__ import annotations

import codecs
import csv
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

    @property
    def bytes_total(self) -> int:
        if self.path.is_dir():
            return sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())
        return self.path.stat().st_size

    @property
    def bytes_read(self) -> int:
        return sum(r.count for r in self._readers)

    def open_binary(self, path: Path | None = None) -> _CountingReader:
        reader = _CountingReader(open(path or self.path, "rb", buffering=0))  # noqa: SIM115
        self._readers.append(reader)
        return reader

    def open_text(self, path: Path | None = None) -> io.TextIOWrapper:
        target = path or self.path
        encoding = self.encoding
        if encoding == "auto":
            with open(target, "rb") as handle:
                encoding = detect_encoding(handle.read(_SNIFF_BYTES))
        # surrogateescape keeps undecodable bytes visible, so the row holding
        # them is rejected with a reason instead of the whole file failing.
        return io.TextIOWrapper(
            io.BufferedReader(self.open_binary(target), buffer_size=1 << 20),
            encoding=encoding,
            errors="surrogateescape",
            newline="",
        )

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
    source: ImportSource, path: Path | None = None, *, required: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str]] | RowError]:
    """(line number, row) for each data row of a CSV file, or a RowError for a bad one.

    The line number is the physical line where the record starts, counting
    the header as line 1, so it matches what an editor shows.
    """
    handle = source.open_text(path)
    reader = csv.reader(handle)
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
