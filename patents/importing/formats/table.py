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

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ...models import PatentType
from ...normalize import (
    clean_prose,
    clean_text,
    cn_application_type,
    cn_kind_type,
    legal_event_kind,
    legal_status_from_text,
    locarno_code,
    normalize_application_number,
    normalize_classification,
    normalize_publication_number,
    parse_date,
    split_codes,
    split_names,
    split_publication_number,
    text_language,
)
from ..records import ApplicantRecord, InventorRecord, LegalEventRecord, PatentRecord, RowError
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
    "legal_status_date",
    "legal_events",
)

BUILTIN_HEADERS = {
    "publication_number": ("公开（公告）号", "公开号", "公告号", "公布号", "公开公告号"),
    "application_number": ("申请号", "专利号"),
    # PatSnap writes the original Chinese of CN records under 标题(译)(简体中文).
    "title": ("标题", "名称", "发明名称", "专利名称", "标题(中文)", "标题(译)(简体中文)"),
    "abstract": ("摘要", "摘要(中文)", "摘要(译)(简体中文)"),
    "claims": ("权利要求", "权利要求书", "主权项"),
    "claim_count": ("权利要求数量", "权利要求数", "权利要求项数"),
    "applicants": (
        "申请人",
        "申请（专利权）人",
        "专利权人",
        "当前申请（专利权）人",
        "申请人名称",
        "申请人/专利权人",  # the CNIPA crawler's layout
        "[标]当前申请(专利权)人",  # PatSnap's standardised current assignee
        "applicant",
    ),
    "applicant_address": ("申请人地址", "地址", "申请（专利权）人地址"),
    "inventors": ("发明人", "发明（设计）人", "设计人"),
    "main_ipc": ("IPC主分类号", "主分类号", "IPC主分类"),
    "ipc_codes": ("IPC分类号", "分类号", "IPC"),
    "cpc_codes": ("CPC分类号", "CPC"),
    "application_date": ("申请日",),
    "publication_date": ("公开（公告）日", "公开日", "公告日", "公布日", "申请公布日/授权公告日"),
    "grant_date": ("授权公告日", "授权日"),
    "legal_status": ("法律状态", "当前法律状态", "简单法律状态", "法律状态/事件"),
    "patent_type": ("专利类型", "类型"),
    "family_size": ("同族数量", "简单同族数量"),
    "cited_by_count": ("被引证次数", "被引用次数"),
    # The date of the legal status shown (the crawler's last change).
    "legal_status_date": ("法律状态最后修改日期", "法律状态日", "法律状态公告日"),
    # Dated events, "2021-04-30 | TRANSFER OF PATENT RIGHT | CN | …" (PatSnap).
    "legal_events": ("INPADOC法律状态",),
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
    # A record needs a number to be known by: its publication number or, in
    # layouts that have none (the Tai'an list, the CNIPA crawler), its application number.
    missing = [f for f in ("title",) if f not in taken]
    if not taken & {"publication_number", "application_number"}:
        missing.insert(0, "publication_number")
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
        values = {field: _value(row.get(header, "")) for header, field in columns.items()}
        # Layouts without publication numbers (the Tai'an list, the CNIPA crawler)
        # key each record by its application number instead.
        by_application = "publication_number" not in columns.values()
        try:
            yield _record(line, values, default_country, by_application=by_application)
        except ValueError as exc:
            excerpt = ",".join(str(v) for v in row.values())[:200]
            yield RowError(line, str(exc), excerpt)


# What exports write in an empty cell: "no data", a dash.
PLACEHOLDERS = frozenset({"-", "--", "—", "无", "无数据", "暂无", "N/A", "n/a", "NULL", "null"})


def _value(value: object) -> object:
    return "" if isinstance(value, str) and value.strip() in PLACEHOLDERS else value


def _text(value: object) -> str:
    """Codes, numbers, dates: NFKC folds full-width digits and letters (ＣＮ１２３)."""
    return clean_text(value) if isinstance(value, str) else ("" if value is None else str(value))


def _prose(value: object) -> str:
    """Titles, abstracts, names: kept as recorded (full-width punctuation stays)."""
    return clean_prose(value) if isinstance(value, str) else ("" if value is None else str(value))


def _record(
    line: int, values: dict[str, object], default_country: str, *, by_application: bool = False
) -> PatentRecord:
    raw_number = _text(values.get("publication_number"))
    raw_application = _text(values.get("application_number"))
    if by_application:
        # The application number (checked, with its check digit) is the identity.
        if not raw_application:
            raise ValueError(_("application number is missing"))
        country = default_country
        application_number = normalize_application_number(raw_application, country=country)
        number, kind = application_number, ""
    else:
        if not raw_number:
            raise ValueError(_("publication number is missing"))
        number = normalize_publication_number(raw_number, default_country=default_country)
        country, _serial, kind = split_publication_number(number)
        application_number = normalize_application_number(raw_application, country=country)
    title = _prose(values.get("title"))
    if not title:
        raise ValueError(_("title is missing"))
    abstract = _prose(values.get("abstract"))
    patent_type, granted = _patent_type(_text(values.get("patent_type")), country, kind)
    if not kind and country == "CN" and not _text(values.get("patent_type")):
        patent_type = cn_application_type(application_number) or patent_type
    main_ipc, ipc, locarno = _classes(
        _text(values.get("main_ipc")).split("(", 1)[0], _text(values.get("ipc_codes"))
    )
    cpc = split_codes(_text(values.get("cpc_codes")), scheme="cpc")
    status_raw = _text(values.get("legal_status"))
    legal_status = legal_status_from_text(status_raw)
    if not status_raw and country == "CN":
        legal_status = "granted" if granted else "pending"
    events = _legal_events(status_raw, values)
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
        application_number=application_number,
        title=title,
        title_language=text_language(title),
        abstract=abstract,
        abstract_language=text_language(abstract),
        claims=_prose(values.get("claims")),
        claim_count=_count(values.get("claim_count"), _("claim count")),
        main_ipc=main_ipc or (ipc[0] if ipc else ""),
        ipc_codes=ipc,
        locarno_codes=locarno,
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
        legal_events=events,
        source_line=line,
    )


def _classes(main_raw: str, codes_raw: str) -> tuple[str, list[str], list[str]]:
    """(main IPC, IPC codes, Locarno codes): a design's ``02-02`` is kept apart from IPC."""
    locarno: list[str] = []
    main_locarno = locarno_code(main_raw) if main_raw else None
    if main_locarno:
        locarno.append(main_locarno)
        main_raw = ""
    main_ipc = normalize_classification(main_raw) if main_raw else ""
    ipc_parts = []
    for part in re.split(r"[;|,\n；，]", codes_raw):
        code = locarno_code(part.split("(", 1)[0])
        if code:
            if code not in locarno:
                locarno.append(code)
        elif part.strip():
            ipc_parts.append(part)
    ipc = split_codes(";".join(ipc_parts))
    if main_ipc and main_ipc not in ipc:
        ipc.insert(0, main_ipc)
    return main_ipc, ipc, locarno


_INPADOC_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _legal_events(status_raw: str, values: dict[str, object]) -> list[LegalEventRecord]:
    """Changes of rights from the dated event column, else from the status cell.

    PatSnap's INPADOC column is a flat ``date | event | office | date | event …``
    list; its 法律状态/事件 cell repeats the same events as undated tags, which are
    kept only for kinds the dated column does not already give.
    """
    events: list[LegalEventRecord] = []
    parts = [p.strip() for p in _prose(values.get("legal_events")).split("|")]
    for i, part in enumerate(parts[:-1]):
        if _INPADOC_DATE_RE.match(part):
            kind = legal_event_kind(parts[i + 1])
            if kind:
                events.append(LegalEventRecord(kind, parts[i + 1][:160], parse_date(part)))
    dated = {e.kind for e in events}
    status_date = parse_date(values.get("legal_status_date") or None)
    for tag in re.split(r"\s*[|;；]\s*", status_raw):
        kind = legal_event_kind(tag)
        if kind and kind not in dated:
            events.append(LegalEventRecord(kind, tag[:160], status_date))
            dated.add(kind)
    return events


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
