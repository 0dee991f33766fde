"""Generic tables (CSV or Excel) with a column mapping.

Column headers are mapped to ``PatentRecord`` fields. Without a mapping the
built-in one understands the Chinese headers that patent databases export
(CNIPA, incoPat, Patenthub …: 公开（公告）号, 申请号, 标题, 摘要, 申请人 …) and the
field names themselves. A mapping given with ``--mapping`` (``{"header": "field"}``)
is applied on top of the built-in one.

Headers are compared after NFKC normalisation without spaces, so full-width
and half-width brackets (公开（公告）号 / 公开(公告)号) are the same header.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ...models import PatentType
from ...normalize import (
    clean_prose,
    clean_text,
    cn_kind_type,
    legal_status_from_text,
    normalize_application_number,
    normalize_classification,
    normalize_publication_number,
    parse_date,
    split_codes,
    split_names,
    split_publication_number,
    text_language,
)
from ..records import ApplicantRecord, InventorRecord, PatentRecord, RowError
from ..source import (
    EXCEL_SUFFIXES,
    ImportFileError,
    ImportSource,
    csv_dict_rows,
    excel_dict_rows,
)

DATASET = "table"

FIELDS = (
    "publication_number",
    "application_number",
    "title",
    "abstract",
    "claims",
    "claim_count",
    "applicants",
    "applicant_address",
    "inventors",
    "main_ipc",
    "ipc_codes",
    "cpc_codes",
    "application_date",
    "publication_date",
    "grant_date",
    "legal_status",
    "patent_type",
    "family_size",
    "cited_by_count",
)

BUILTIN_HEADERS = {
    "publication_number": ("公开（公告）号", "公开号", "公告号", "公布号", "公开公告号"),
    "application_number": ("申请号", "专利号"),
    "title": ("标题", "名称", "发明名称", "专利名称", "标题(中文)"),
    "abstract": ("摘要", "摘要(中文)"),
    "claims": ("权利要求", "权利要求书", "主权项"),
    "claim_count": ("权利要求数量", "权利要求数", "权利要求项数"),
    "applicants": ("申请人", "申请（专利权）人", "专利权人", "当前申请（专利权）人", "申请人名称"),
    "applicant_address": ("申请人地址", "地址", "申请（专利权）人地址"),
    "inventors": ("发明人", "发明（设计）人", "设计人"),
    "main_ipc": ("IPC主分类号", "主分类号", "IPC主分类"),
    "ipc_codes": ("IPC分类号", "分类号", "IPC"),
    "cpc_codes": ("CPC分类号", "CPC"),
    "application_date": ("申请日",),
    "publication_date": ("公开（公告）日", "公开日", "公告日", "公布日"),
    "grant_date": ("授权公告日", "授权日"),
    "legal_status": ("法律状态", "当前法律状态", "简单法律状态", "法律状态/事件"),
    "patent_type": ("专利类型", "类型"),
    "family_size": ("同族数量", "简单同族数量"),
    "cited_by_count": ("被引证次数", "被引用次数"),
}

_TYPE_WORDS = (
    ("实用新型", PatentType.UTILITY_MODEL),
    ("外观", PatentType.DESIGN),
    ("发明", PatentType.INVENTION),
    ("UTILITY MODEL", PatentType.UTILITY_MODEL),
    ("DESIGN", PatentType.DESIGN),
    ("INVENTION", PatentType.INVENTION),
    ("UTILITY", PatentType.INVENTION),  # a US utility patent is an invention
)


def header_key(header: str) -> str:
    return "".join(unicodedata.normalize("NFKC", header).split()).lower()


def column_map(headers: list[str], mapping: dict[str, str] | None) -> dict[str, str]:
    """header as in the file → field, from the built-in names and the user's mapping."""
    known: dict[str, str] = {header_key(f): f for f in FIELDS}
    for field, names in BUILTIN_HEADERS.items():
        known.update({header_key(n): field for n in names})
    for header, field in (mapping or {}).items():
        if field not in FIELDS:
            raise ImportFileError(
                _("the mapping names an unknown field %(field)r; fields are: %(fields)s")
                % {"field": field, "fields": ", ".join(FIELDS)}
            )
        known[header_key(header)] = field
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        field = known.get(header_key(header))
        if field and field not in taken:
            columns[header] = field
            taken.add(field)
    missing = [f for f in ("publication_number", "title") if f not in taken]
    if missing:
        raise ImportFileError(
            _(
                "no column for %(fields)s: name the columns like 公开（公告）号 and 标题, "
                "or give a mapping of your headers to these fields"
            )
            % {"fields": ", ".join(missing)}
        )
    return columns


def parse(source: ImportSource, options: dict[str, Any]) -> Iterator[PatentRecord | RowError]:
    path = Path(source.path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        rows = excel_dict_rows(source, sheet=options.get("sheet"))
    elif path.suffix.lower() == ".xls":
        raise ImportFileError(_("old .xls workbooks are not supported; save the file as .xlsx"))
    else:
        rows = csv_dict_rows(source)
    default_country = options.get("country", "CN")
    columns: dict[str, str] | None = None
    for item in rows:
        if isinstance(item, RowError):
            yield item
            continue
        line, row = item
        if columns is None:
            columns = column_map(list(row), options.get("mapping"))
        values = {field: row.get(header, "") for header, field in columns.items()}
        try:
            yield _record(line, values, default_country)
        except ValueError as exc:
            excerpt = ",".join(str(v) for v in row.values())[:200]
            yield RowError(line, str(exc), excerpt)


def _text(value: object) -> str:
    """Codes, numbers, dates: NFKC folds full-width digits and letters (ＣＮ１２３)."""
    return clean_text(value) if isinstance(value, str) else ("" if value is None else str(value))


def _prose(value: object) -> str:
    """Titles, abstracts, names: kept as recorded (full-width punctuation stays)."""
    return clean_prose(value) if isinstance(value, str) else ("" if value is None else str(value))


def _record(line: int, values: dict[str, object], default_country: str) -> PatentRecord:
    raw_number = _text(values.get("publication_number"))
    if not raw_number:
        raise ValueError(_("publication number is missing"))
    number = normalize_publication_number(raw_number, default_country=default_country)
    country, _serial, kind = split_publication_number(number)
    title = _prose(values.get("title"))
    if not title:
        raise ValueError(_("title is missing"))
    abstract = _prose(values.get("abstract"))
    patent_type, granted = _patent_type(_text(values.get("patent_type")), country, kind)
    main_ipc_raw = _text(values.get("main_ipc")).split("(", 1)[0]
    main_ipc = normalize_classification(main_ipc_raw) if main_ipc_raw else ""
    ipc = split_codes(_text(values.get("ipc_codes")))
    if main_ipc and main_ipc not in ipc:
        ipc.insert(0, main_ipc)
    cpc = split_codes(_text(values.get("cpc_codes")), scheme="cpc")
    status_raw = _text(values.get("legal_status"))
    legal_status = legal_status_from_text(status_raw)
    if not status_raw and country == "CN":
        legal_status = "granted" if granted else "pending"
    address = _prose(values.get("applicant_address"))
    applicants = [
        ApplicantRecord(name=name, sequence=i, address=address if i == 0 else "")
        for i, name in enumerate(split_names(_prose(values.get("applicants"))))
    ]
    return PatentRecord(
        publication_number=number,
        country=country,
        kind_code=kind,
        patent_type=patent_type,
        application_number=normalize_application_number(
            _text(values.get("application_number")), country=country
        ),
        title=title,
        title_language=text_language(title),
        abstract=abstract,
        abstract_language=text_language(abstract),
        claims=_prose(values.get("claims")),
        claim_count=_count(values.get("claim_count"), _("claim count")),
        main_ipc=main_ipc or (ipc[0] if ipc else ""),
        ipc_codes=ipc,
        cpc_codes=cpc,
        main_cpc=cpc[0] if cpc else "",
        application_date=parse_date(values.get("application_date") or None),
        publication_date=parse_date(values.get("publication_date") or None),
        grant_date=parse_date(values.get("grant_date") or None),
        legal_status=legal_status,
        legal_status_raw=status_raw[:64],
        family_size=_count(values.get("family_size"), _("family size")),
        cited_by_count=_count(values.get("cited_by_count"), _("cited-by count")),
        applicants=applicants,
        inventors=[
            InventorRecord(name=name, sequence=i)
            for i, name in enumerate(split_names(_prose(values.get("inventors"))))
        ],
        source_line=line,
    )


def _patent_type(text: str, country: str, kind: str) -> tuple[str, bool]:
    granted = False
    if country == "CN":
        patent_type, granted = cn_kind_type(kind)
    else:
        patent_type = PatentType.INVENTION
    upper = text.upper()
    for word, value in _TYPE_WORDS:
        if word in upper:
            return value, granted or "授权" in text
    return patent_type, granted


def _count(value: object, label: str) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(
            _("%(label)s is not a number: %(value)r") % {"label": label, "value": text[:20]}
        ) from None
    if number < 0 or not number.is_integer():
        raise ValueError(
            _("%(label)s is not a whole number: %(value)r") % {"label": label, "value": text[:20]}
        )
    return int(number)
