"""Checks and storage for uploaded files (import spreadsheets, contracts, evidence).

Every file the portal accepts goes through this one call before anything
opens it (form ``clean_*`` methods, the admin's import form, services that
receive files), with the ``UploadKind`` of what it is for::

    from portal.uploads import SPREADSHEET, validate_upload

    def clean_file(self):
        return validate_upload(self.cleaned_data["file"], kind=SPREADSHEET)

It raises ``django.core.exceptions.ValidationError`` with a message the form
shows. Checks, in order: size, extension, content (magic bytes must agree
with the extension), and for Office Open XML archives the unpacked size and
entry count (a "zip bomb" is refused before openpyxl/pandas inflate it).

Files are stored by ``private_storage`` (``PRIVATE_MEDIA_ROOT``, outside any
web root, no URL) under random names; ``protected_file_response`` serves one
after the calling view has checked the user may see the owning record.
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class UploadKind:
    name: str
    extensions: frozenset[str]
    max_bytes: int
    # Archives (xlsx, docx) must unpack to no more than this.
    max_unpacked_bytes: int = 0
    max_archive_entries: int = 0


MB = 1024 * 1024
SPREADSHEET = UploadKind(
    "spreadsheet",
    frozenset({".xlsx", ".csv"}),
    max_bytes=50 * MB,
    max_unpacked_bytes=500 * MB,
    max_archive_entries=10_000,
)
DOCUMENT = UploadKind(
    "document",
    frozenset({".pdf", ".docx", ".jpg", ".jpeg", ".png"}),
    max_bytes=20 * MB,
    max_unpacked_bytes=200 * MB,
    max_archive_entries=5_000,
)
IMAGE = UploadKind("image", frozenset({".jpg", ".jpeg", ".png"}), max_bytes=5 * MB)
# Attachments of a technology need: documents plus the Office formats enterprises use.
NEED_ATTACHMENT = UploadKind(
    "need attachment",
    frozenset({".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".pptx", ".doc", ".xls"}),
    max_bytes=10 * MB,
    max_unpacked_bytes=200 * MB,
    max_archive_entries=5_000,
)
# A workbook staff upload to be read row by row (need import, batch matching).
WORKBOOK = UploadKind(
    "workbook",
    frozenset({".xlsx"}),
    max_bytes=20 * MB,
    max_unpacked_bytes=500 * MB,
    max_archive_entries=10_000,
)
# Structured text staff upload (a chain definition, the master platform's file).
DATA_FILE = UploadKind(
    "data file", frozenset({".json", ".yaml", ".yml", ".csv"}), max_bytes=20 * MB
)

# What the first bytes must say for each extension. Text formats (CSV) have no
# magic number: they must instead *not* look like any binary format and must
# decode as text.
_EXPECTED_MIME = {
    ".xlsx": {
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
    ".docx": {
        "application/zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    },
    ".pdf": {"application/pdf"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
}
_EXPECTED_MIME.update(
    {
        ".xlsm": {"application/zip"} | _EXPECTED_MIME[".xlsx"],
        ".pptx": {
            "application/zip",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        },
        ".zip": {"application/zip"},
        ".gz": {"application/gzip"},
    }
)
# Legacy Office files (doc, xls) are OLE compound files; filetype does not
# always name them, so their signature is checked directly.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_EXTENSIONS = frozenset({".doc", ".xls"})
# Formats with no magic number: they must not look binary and must decode as text.
TEXT_EXTENSIONS = frozenset({".csv", ".tsv", ".txt", ".json", ".yaml", ".yml"})
_OOXML_MAIN_PART = {
    ".xlsx": "xl/workbook.xml",
    ".xlsm": "xl/workbook.xml",
    ".docx": "word/document.xml",
    ".pptx": "ppt/presentation.xml",
}
_HEAD_BYTES = 8192


def sanitize_filename(name: str, *, max_length: int = 120) -> str:
    """A display-safe file name: no path, no control or shell characters, keeps Chinese."""
    name = unicodedata.normalize("NFKC", str(name))
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"/\\|?*;$`\']', "_", name).strip(" .")
    stem, ext = os.path.splitext(name)
    ext = re.sub(r"[^A-Za-z0-9.]", "", ext)[:10].lower()
    stem = stem[: max(max_length - len(ext), 1)]
    return (stem or "file") + ext


def _extension(name: str) -> str:
    return os.path.splitext(sanitize_filename(name))[1].lower()


def _read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    return head


def check_archive_size(
    upload, *, max_unpacked_bytes: int, max_entries: int, main_part: str = ""
) -> None:
    """Refuse a zip whose declared unpacked size or entry count is too large.

    The sizes come from the central directory, read without inflating
    anything; openpyxl/pandas would otherwise inflate a bomb into memory.
    """
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > max_entries:
                raise ValidationError(
                    _("The file contains too many parts (%(count)d).") % {"count": len(infos)},
                    code="archive_entries",
                )
            total = sum(info.file_size for info in infos)
            if total > max_unpacked_bytes:
                raise ValidationError(
                    _("The file unpacks to %(size)d MB, more than the %(limit)d MB allowed.")
                    % {"size": total // MB, "limit": max_unpacked_bytes // MB},
                    code="archive_too_large",
                )
            names = {info.filename for info in infos}
            if main_part and main_part not in names:
                raise ValidationError(
                    _("The file is a zip archive but not a valid Office document."),
                    code="archive_not_office",
                )
    except zipfile.BadZipFile as exc:
        raise ValidationError(
            _("The file is damaged or not a valid Office document."), code="bad_zip"
        ) from exc
    finally:
        upload.seek(0)


def validate_upload(upload, *, kind: UploadKind):
    """Check an uploaded file (Django ``UploadedFile`` or any seekable file with
    ``name`` and ``size``); returns it unchanged, raises ``ValidationError``."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > kind.max_bytes:
        raise ValidationError(
            _("The file is %(size)d MB; at most %(limit)d MB is allowed.")
            % {"size": max(size // MB, 1), "limit": kind.max_bytes // MB},
            code="too_large",
        )
    ext = _extension(getattr(upload, "name", "") or "")
    if ext not in kind.extensions:
        raise ValidationError(
            _("Files of type “%(ext)s” are not accepted; use %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(sorted(kind.extensions))},
            code="extension",
        )
    head = _read_head(upload)
    guessed = filetype.guess_mime(head)
    if ext in TEXT_EXTENSIONS:
        if guessed is not None or b"\x00" in head:
            raise ValidationError(
                _("The file is named %(ext)s but its content is not text.") % {"ext": ext},
                code="content_mismatch",
            )
        _check_text(head)
    elif ext in _OLE_EXTENSIONS:
        if not head.startswith(_OLE_MAGIC):
            raise ValidationError(
                _("The file's content does not match its “%(ext)s” extension.") % {"ext": ext},
                code="content_mismatch",
            )
    elif guessed not in _EXPECTED_MIME.get(ext, set()):
        raise ValidationError(
            _("The file's content does not match its “%(ext)s” extension.") % {"ext": ext},
            code="content_mismatch",
        )
    if (ext in _OOXML_MAIN_PART or ext == ".zip") and kind.max_unpacked_bytes:
        check_archive_size(
            upload,
            max_unpacked_bytes=kind.max_unpacked_bytes,
            max_entries=kind.max_archive_entries,
            main_part=_OOXML_MAIN_PART.get(ext, ""),
        )
    return upload


def upload_content_type(upload) -> str:
    """The content type read from a validated upload's first bytes (not the browser's)."""
    ext = _extension(getattr(upload, "name", "") or "")
    if ext in _OLE_EXTENSIONS:
        return "application/x-ole-storage"
    if ext in TEXT_EXTENSIONS:
        return "text/plain"
    return filetype.guess_mime(_read_head(upload)) or "application/octet-stream"


def _check_text(head: bytes) -> None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # The head may end mid-character: ignore an incomplete tail only.
            head.decode(encoding) if len(head) < _HEAD_BYTES else head[:-4].decode(encoding)
            return
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor GB18030 text."), code="encoding")


# --- Storage -------------------------------------------------------------------


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no URL at all: a template cannot link to one by mistake."""

    def url(self, name):
        raise ValueError("private files have no URL; serve them with protected_file_response")


def _suffixes(name: str) -> str:
    """Up to two sanitized suffixes (``.csv.gz`` stays recognisable to importers)."""
    parts = PurePath(sanitize_filename(name)).suffixes[-2:]
    kept = "".join(re.sub(r"[^a-z0-9.]", "", p.lower())[:10] for p in parts)
    return kept if re.fullmatch(r"(\.[a-z0-9]{1,10}){0,2}", kept) else ""


class RandomNameFileSystemStorage(FileSystemStorage):
    """The default storage: every ``FileField`` upload is stored under a random name
    in its ``upload_to`` folder (user-chosen names never reach the file system) with
    owner/group-only permissions (``FILE_UPLOAD_PERMISSIONS``). Models keep the
    original name in their own field where it must be shown."""

    def generate_filename(self, filename):
        filename = super().generate_filename(filename)
        folder = os.path.dirname(filename)
        random_name = f"{uuid.uuid4().hex}{_suffixes(filename)}"
        return f"{folder}/{random_name}" if folder else random_name


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = PrivateFileSystemStorage(
            location=getattr(settings, "PRIVATE_MEDIA_ROOT", None)
            or os.path.join(str(settings.MEDIA_ROOT), "private"),
            base_url=None,
            file_permissions_mode=0o640,
            directory_permissions_mode=0o750,
        )


# For ``FileField(storage=...)``: pass the callable so migrations stay stable.
private_storage = _PrivateStorage()


def get_private_storage():
    return private_storage


@deconstructible
class RandomUploadPath:
    """``upload_to`` that keeps only a sanitized extension and a random name, so
    user-chosen names never reach the file system (keep the original in a
    separate ``original_name`` field if it must be shown)."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        return f"{self.prefix}/{uuid.uuid4().hex}{_extension(filename)}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomUploadPath) and other.prefix == self.prefix


def protected_file_response(field_file, *, download_name: str) -> FileResponse:
    """Serve a stored file as an attachment. The *caller* must already have
    checked access (e.g. fetched the owner with ``get_scoped_object_or_404``)."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=sanitize_filename(download_name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
