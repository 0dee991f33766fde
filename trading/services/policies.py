"""Import policies into the policy library (format ``policy/1``, docs/policy-import.md).

CSV (UTF-8, BOM allowed, header first) or JSON (a list, or ``{"format":
"policy/1", "policies": [...]}``). Idempotent: a row is the same policy as a
stored one with the same issuer and document number (or, without a number, the
same title and issue date); it is then updated or counted unchanged. Each bad
row is reported with its line (CSV: the header is line 1; JSON: 1-based
position) and reason; good rows are still imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from patents.models import Region

from ..models import Policy

FIELDS = (
    "title",
    "issuer",
    "document_number",
    "level",
    "region",
    "topic",
    "issued_on",
    "effective_on",
    "url",
    "summary",
    "full_text",
)
LEVELS = {
    "national": Policy.Level.NATIONAL,
    "国家": Policy.Level.NATIONAL,
    "国家级": Policy.Level.NATIONAL,
    "provincial": Policy.Level.PROVINCIAL,
    "省": Policy.Level.PROVINCIAL,
    "省级": Policy.Level.PROVINCIAL,
    "city": Policy.Level.CITY,
    "市": Policy.Level.CITY,
    "市级": Policy.Level.CITY,
}
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


@dataclass(slots=True)
class PolicyImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)


class _RowError(Exception):
    pass


def _date(value, name: str, *, required: bool) -> dt.date | None:
    text = str(value or "").strip()
    if not text:
        if required:
            raise _RowError(_("%(field)s is required") % {"field": name})
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                break
    raise _RowError(
        _("%(field)s: %(value)s is not a date (use YYYY-MM-DD)") % {"field": name, "value": text}
    )


def _clean(row: dict) -> dict:
    def text(name: str, limit: int | None = None, required: bool = False) -> str:
        value = str(row.get(name) or "").strip()
        if required and not value:
            raise _RowError(_("%(field)s is required") % {"field": name})
        if limit and len(value) > limit:
            raise _RowError(
                _("%(field)s is longer than %(n)d characters") % {"field": name, "n": limit}
            )
        return value

    level_raw = text("level", required=True)
    level = LEVELS.get(level_raw.lower()) or LEVELS.get(level_raw)
    if level is None:
        raise _RowError(
            _("level must be national, provincial or city, not %(v)s") % {"v": level_raw}
        )
    region_code = text("region")
    region = None
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise _RowError(_("unknown region code %(v)s (GB/T 2260)") % {"v": region_code})
    elif level != Policy.Level.NATIONAL:
        raise _RowError(_("a provincial or city policy needs its region code"))
    url = text("url", 200)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise _RowError(_("url is not an http(s) address: %(v)s") % {"v": url}) from exc
    issued_on = _date(row.get("issued_on"), "issued_on", required=True)
    effective_on = _date(row.get("effective_on"), "effective_on", required=False)
    if effective_on and effective_on < issued_on:
        raise _RowError(_("effective_on is before issued_on"))
    return {
        "title": text("title", 255, required=True),
        "issuer": text("issuer", 255, required=True),
        "document_number": text("document_number", 64),
        "level": level,
        "region": region,
        "topic": text("topic", 64),
        "issued_on": issued_on,
        "effective_on": effective_on,
        "url": url,
        "summary": text("summary"),
        "full_text": text("full_text"),
    }


def _rows(content: bytes, fmt: str) -> list[tuple[int, object]]:
    text = content.decode("utf-8-sig")
    if fmt == "json":
        data = json.loads(text)
        if isinstance(data, dict):
            data = data.get("policies")
        if not isinstance(data, list):
            raise _RowError(_('The JSON must be a list or {"policies": [...]}.'))
        return list(enumerate(data, start=1))
    reader = csv.DictReader(io.StringIO(text))
    missing = {"title", "issuer", "level", "issued_on"} - set(reader.fieldnames or [])
    if missing:
        raise _RowError(_("The CSV header lacks: %(f)s") % {"f": ", ".join(sorted(missing))})
    return [(reader.line_num, row) for row in reader]


def _existing(data: dict) -> Policy | None:
    if data["document_number"]:
        return Policy.objects.filter(
            issuer=data["issuer"], document_number=data["document_number"]
        ).first()
    return Policy.objects.filter(
        title=data["title"], issued_on=data["issued_on"], document_number=""
    ).first()


def policy_import(*, content: bytes, fmt: str) -> PolicyImportReport:
    """Import a policy file; see the module docstring."""
    report = PolicyImportReport()
    if fmt not in ("csv", "json"):
        report.errors.append({"line": 0, "reason": _("Use a .csv or .json file.")})
        return report
    try:
        rows = _rows(content, fmt)
    except (UnicodeDecodeError, ValueError, _RowError) as exc:
        reason = (
            str(exc)
            if isinstance(exc, _RowError)
            else _("Cannot read the file: %(e)s") % {"e": exc}
        )
        report.errors.append({"line": 0, "reason": reason})
        return report
    for line, row in rows:
        if not isinstance(row, dict):
            report.errors.append({"line": line, "reason": _("each policy must be an object")})
            continue
        try:
            data = _clean(row)
        except _RowError as exc:
            report.errors.append({"line": line, "reason": str(exc)})
            continue
        with transaction.atomic():
            policy = _existing(data)
            if policy is None:
                Policy.objects.create(**data)
                report.created += 1
            elif any(getattr(policy, k) != v for k, v in data.items()):
                for k, v in data.items():
                    setattr(policy, k, v)
                policy.save()
                report.updated += 1
            else:
                report.unchanged += 1
    return report
