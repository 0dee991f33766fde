"""Import of needs collected at events, from an Excel sheet.

Same rules as the patent importer: every bad row is reported with its line and
reason, the good rows are kept. One header row; Chinese or English headers.
Each row is submitted through ``need_submit``, so it meets the rules the form
and the API meet (and its need is tagged the same way).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from patents.models import Organization
from patents.normalize import normalize_organization_name
from patents.validators import uscc_problem

from ..models import BudgetRange, CooperationMode, Industry, TechNeed
from .needs import need_submit

HEADERS = {
    "organization": ("企业名称", "organization", "enterprise"),
    "uscc": ("统一社会信用代码", "uscc", "credit code"),
    "contact_name": ("联系人", "contact person", "contact"),
    "contact_mobile": ("手机", "手机号", "mobile", "mobile number"),
    "title": ("需求名称", "标题", "title"),
    "description": ("需求描述", "描述", "description"),
    "industry": ("行业", "industry"),
    "cooperation_mode": ("合作方式", "cooperation mode"),
    "budget_range": ("预算", "budget"),
    "deadline": ("截止日期", "deadline"),
}
REQUIRED = ("organization", "uscc", "contact_name", "contact_mobile", "title", "description")


@dataclass
class NeedImportReport:
    created: list[int] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def as_csv(self) -> str:
        lines = ["line,reason"]
        lines += [f'{line},"{reason.replace(chr(34), chr(39))}"' for line, reason in self.errors]
        return "\n".join(lines) + "\n"


def _choice_lookup(choices) -> dict[str, str]:
    """Value, English label and Chinese label of each choice → value."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        with translation.override("en"):
            lookup[str(label).lower()] = value
        with translation.override("zh-hans"):
            lookup[str(label).lower()] = value
    return lookup


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell(value).replace("/", "-").replace(".", "-")
    return dt.date.fromisoformat(text)


def need_import_excel(
    *, file, created_by=None, programme_line: str | None = None
) -> NeedImportReport:
    report = NeedImportReport()
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:
        report.errors.append((0, _("The file is not an Excel (.xlsx) workbook.")))
        return report
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        report.errors.append((1, _("The sheet is empty.")))
        return report
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        label = _cell(name).lower()
        for key, names in HEADERS.items():
            if label in names:
                columns[key] = index
    missing = [HEADERS[k][0] for k in REQUIRED if k not in columns]
    if missing:
        report.errors.append(
            (1, _("Missing columns: %(columns)s") % {"columns": "、".join(missing)})
        )
        return report
    lookups = {
        "industry": _choice_lookup(Industry),
        "cooperation_mode": _choice_lookup(CooperationMode),
        "budget_range": _choice_lookup(BudgetRange),
    }
    for line, row in enumerate(rows, start=2):
        values = {key: row[index] if index < len(row) else None for key, index in columns.items()}
        if all(_cell(v) == "" for v in values.values()):
            continue
        try:
            need_id = _import_row(values, lookups, created_by, programme_line)
        except ValidationError as error:
            report.errors.append((line, "; ".join(error.messages)))
        except ValueError:
            report.errors.append((line, _("Deadline is not a date (use YYYY-MM-DD).")))
        else:
            report.created.append(need_id)
    return report


@transaction.atomic
def _import_row(values, lookups, created_by, programme_line) -> int:
    problems = [
        _("%(field)s is empty.") % {"field": HEADERS[key][0]}
        for key in REQUIRED
        if not _cell(values.get(key))
    ]
    if problems:
        raise ValidationError(problems)
    uscc = _cell(values["uscc"]).upper()
    problem = uscc_problem(uscc)
    if problem:
        raise ValidationError(
            _("Credit code %(code)s: %(problem)s") % {"code": uscc, "problem": problem}
        )
    mobile = _cell(values["contact_mobile"])
    choices = {}
    for key in ("industry", "cooperation_mode", "budget_range"):
        raw = _cell(values.get(key)).lower()
        if not raw:
            if key == "budget_range":
                choices[key] = BudgetRange.NEGOTIABLE
                continue
            raise ValidationError(_("%(field)s is empty.") % {"field": HEADERS[key][0]})
        if raw not in lookups[key]:
            raise ValidationError(
                _("%(field)s: unknown value %(value)s.") % {"field": HEADERS[key][0], "value": raw}
            )
        choices[key] = lookups[key][raw]
    name = _cell(values["organization"])
    organization = Organization.objects.filter(uscc=uscc).first()
    if organization is None:
        organization, _created = Organization.objects.get_or_create(
            normalized_name=normalize_organization_name(name),
            defaults={
                "name": name,
                "kind": Organization.Kind.ENTERPRISE,
                "country": "CN",
                "uscc": uscc,
            },
        )
    fields = {
        "title": _cell(values["title"]),
        "description": _cell(values["description"]),
        "contact_name": _cell(values["contact_name"]),
        "contact_mobile": mobile,
        "deadline": _parse_date(values.get("deadline")),
        **choices,
        **({"programme_line": programme_line} if programme_line else {}),
    }
    need = need_submit(
        organization=organization,
        fields=fields,
        created_by=created_by,
        source=TechNeed.Source.IMPORT,
    )
    return need.pk
