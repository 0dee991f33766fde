import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from portal.uploads import (
    DOCUMENT,
    SPREADSHEET,
    RandomUploadPath,
    UploadKind,
    private_storage,
    sanitize_filename,
    validate_upload,
)


def _xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["公开号", "标题"])
    workbook.active.append(["CN114081026A", "一种水电站高压输电线路驱鸟保护装置"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_real_xlsx_and_csv_pass():
    assert validate_upload(_upload("needs.xlsx", _xlsx_bytes()), kind=SPREADSHEET)
    csv_gbk = "公开号,标题\nCN114081026A,驱鸟保护装置\n".encode("gb18030")
    assert validate_upload(_upload("needs.csv", csv_gbk), kind=SPREADSHEET)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("needs.xlsx", b"", "empty"),
        ("needs.exe", b"MZ\x90\x00" + b"\x00" * 100, "extension"),
        ("needs.xlsx", b"%PDF-1.7\n" + b"x" * 100, "content_mismatch"),
        ("needs.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "content_mismatch"),
        ("contract.pdf", b"PK\x03\x04" + b"\x00" * 100, "content_mismatch"),
        ("needs.csv", b"\xff\xfe\xfa\xfb" * 10, "encoding"),
    ],
)
def test_bad_uploads_say_why(name, content, code):
    with pytest.raises(ValidationError) as info:
        validate_upload(
            _upload(name, content),
            kind=SPREADSHEET if name.endswith(("xlsx", "csv", "exe")) else DOCUMENT,
        )
    assert info.value.code == code


def test_too_large():
    small = UploadKind("tiny", frozenset({".csv"}), max_bytes=10)
    with pytest.raises(ValidationError) as info:
        validate_upload(_upload("a.csv", b"x" * 11), kind=small)
    assert info.value.code == "too_large"


def test_zip_bomb_is_refused_before_opening():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (3 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 100_000  # compresses ~1000:1
    kind = UploadKind(
        "s",
        frozenset({".xlsx"}),
        max_bytes=10**6,
        max_unpacked_bytes=1024 * 1024,
        max_archive_entries=100,
    )
    with pytest.raises(ValidationError) as info:
        validate_upload(_upload("bomb.xlsx", content), kind=kind)
    assert info.value.code == "archive_too_large"


def test_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "hello")
    with pytest.raises(ValidationError) as info:
        validate_upload(_upload("fake.xlsx", buffer.getvalue()), kind=SPREADSHEET)
    assert info.value.code == "archive_not_office"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\a\\合同 2024.PDF", "合同 2024.pdf"),
        ("<script>.xlsx", "_script_.xlsx"),
        ("..", "file"),
        ("a\x00b.csv", "ab.csv"),
    ],
)
def test_sanitize_filename(raw, expected):
    assert sanitize_filename(raw) == expected


@given(st.text(max_size=300))
def test_sanitize_filename_never_yields_a_path(raw):
    name = sanitize_filename(raw)
    assert name and "/" not in name and "\\" not in name and name not in (".", "..")
    assert len(name) <= 130


def test_random_upload_path_drops_the_user_name():
    path = RandomUploadPath("contracts")(None, "../../我的合同.PDF")
    assert path.startswith("contracts/") and path.endswith(".pdf") and "合同" not in path


def test_private_storage_is_outside_the_web_root(settings, tmp_path):
    from django.utils.functional import empty

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty  # rebuild from the settings above
    name = private_storage.save("contracts/a.pdf", io.BytesIO(b"%PDF-1.7"))
    assert (tmp_path / "private" / name).exists()
    with pytest.raises(ValueError):
        private_storage.url(name)  # no URL: only permission-checked views serve it
    private_storage._wrapped = empty
