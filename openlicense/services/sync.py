"""Sync with the provincial / national master open-licence platform.

The format (CSV with a header row, or JSON: a list of objects, or an object
with an ``items`` list) is documented in docs/open-licence-format.md. Rows are
matched to local patents by publication number, else application number.
Running the same file twice changes nothing (idempotent). A local declaration
is never overwritten by the master platform: a difference is reported as a
conflict for staff to settle.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Patent
from patents.normalize import normalize_publication_number, parse_date
from portal.exports import csv_dict

from ..models import Declaration, DeclarationStatusChange, PatenteeConsent, SyncRun

FIELDS = [
    "master_id",
    "publication_number",
    "application_number",
    "title",
    "patentees",
    "fee_lump_sum",
    "royalty_rate",
    "royalty_base",
    "payment_method",
    "term_years",
    "declared_on",
    "announced_on",
    "announcement_number",
    "status",
    "withdrawn_on",
]
COMPARED = [
    "fee_lump_sum",
    "royalty_rate",
    "royalty_base",
    "payment_method",
    "term_years",
    "declared_on",
    "announced_on",
]
STATUSES = (Declaration.Status.ANNOUNCED, Declaration.Status.WITHDRAWN)


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def _rows(content: bytes | str, *, fmt: str) -> list[tuple[int, dict]]:
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    if fmt == "json":
        data = json.loads(text)
        if isinstance(data, dict):
            data = data.get("items", [])
        if not isinstance(data, list):
            raise ValueError(_("JSON must be a list of items or an object with an items list."))
        return [(i, row if isinstance(row, dict) else {}) for i, row in enumerate(data, start=1)]
    reader = csv.DictReader(io.StringIO(text))
    missing = {"master_id", "status"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError(_("Missing columns: %(c)s.") % {"c": ", ".join(sorted(missing))})
    return [(i, row) for i, row in enumerate(reader, start=2)]  # line 1 is the header


def _decimal(raw, name):
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError(_("%(f)s is not a number: %(v)r") % {"f": name, "v": raw}) from None


def _parse(row: dict) -> dict:
    master_id = str(row.get("master_id") or "").strip()
    if not master_id:
        raise ValueError(_("master_id is missing"))
    status = str(row.get("status") or "").strip().lower()
    if status not in STATUSES:
        raise ValueError(_("status must be announced or withdrawn, not %(v)r") % {"v": status})
    number = str(row.get("publication_number") or "").strip()
    application = str(row.get("application_number") or "").strip()
    if not number and not application:
        raise ValueError(_("publication_number or application_number is required"))
    parsed = {
        "master_id": master_id,
        "publication_number": normalize_publication_number(number, default_country="CN")
        if number
        else "",
        "application_number": application,
        "status": status,
        "fee_lump_sum": _decimal(row.get("fee_lump_sum"), "fee_lump_sum"),
        "royalty_rate": _decimal(row.get("royalty_rate"), "royalty_rate"),
        "royalty_base": str(row.get("royalty_base") or "").strip(),
        "payment_method": str(row.get("payment_method") or "one_off").strip(),
        "declared_on": parse_date(row.get("declared_on")),
        "announced_on": parse_date(row.get("announced_on")),
        "announcement_number": str(row.get("announcement_number") or "").strip(),
        "withdrawn_on": parse_date(row.get("withdrawn_on")),
    }
    if parsed["fee_lump_sum"] is None and parsed["royalty_rate"] is None:
        raise ValueError(_("a lump-sum fee or a royalty rate is required"))
    if parsed["royalty_base"] and parsed["royalty_base"] not in Declaration.RoyaltyBase.values:
        raise ValueError(_("royalty_base must be sales or profit"))
    if parsed["payment_method"] not in Declaration.PaymentMethod.values:
        raise ValueError(_("unknown payment_method %(v)r") % {"v": parsed["payment_method"]})
    try:
        parsed["term_years"] = int(str(row.get("term_years") or "").strip())
    except ValueError:
        raise ValueError(_("term_years must be a whole number of years")) from None
    if parsed["declared_on"] is None:
        raise ValueError(_("declared_on is missing or not a date"))
    return parsed


def _find_patent(parsed: dict) -> Patent | None:
    if parsed["publication_number"]:
        patent = Patent.objects.filter(publication_number=parsed["publication_number"]).first()
        if patent:
            return patent
    if parsed["application_number"]:
        return Patent.objects.filter(application_number=parsed["application_number"]).first()
    return None


def _differences(declaration: Declaration, parsed: dict) -> list[str]:
    return [name for name in COMPARED if getattr(declaration, name) != parsed[name]]


@transaction.atomic
def master_import(*, content: bytes | str, fmt: str, source: str, file_name: str = "") -> SyncRun:
    """Import the master platform's open-licence items; returns the run and its report."""
    report = SyncReport()
    try:
        rows = _rows(content, fmt=fmt)
    except (ValueError, UnicodeDecodeError) as exc:
        report.errors.append({"line": 0, "reason": str(exc)})
        rows = []
    seen: set[str] = set()
    for line, row in rows:
        try:
            parsed = _parse(row)
        except ValueError as exc:
            report.errors.append({"line": line, "reason": str(exc)})
            continue
        if parsed["master_id"] in seen:
            report.errors.append(
                {"line": line, "reason": _("master_id %(m)s repeats") % {"m": parsed["master_id"]}}
            )
            continue
        seen.add(parsed["master_id"])
        _import_one(parsed, line=line, report=report)
    run = SyncRun.objects.create(
        direction=SyncRun.Direction.IMPORT,
        source=source,
        file_name=file_name,
        created=len(report.created),
        changed=len(report.changed),
        withdrawn=len(report.withdrawn),
        unchanged=report.unchanged,
        conflicts=report.conflicts,
        errors=report.errors,
    )
    return run


def _import_one(parsed: dict, *, line: int, report: SyncReport) -> None:
    patent = _find_patent(parsed)
    ident = parsed["publication_number"] or parsed["application_number"]
    if patent is None:
        report.conflicts.append(
            {"line": line, "number": ident, "reason": _("no local patent with this number")}
        )
        return
    mine = Declaration.objects.filter(
        source=Declaration.Source.MASTER, master_id=parsed["master_id"]
    ).first()
    if mine is None:
        local = Declaration.objects.filter(
            patent=patent,
            status__in=(Declaration.Status.SUBMITTED, Declaration.Status.ANNOUNCED),
        ).first()
        if local is not None:
            diffs = _differences(local, parsed)
            if diffs or parsed["status"] == Declaration.Status.WITHDRAWN:
                report.conflicts.append(
                    {
                        "line": line,
                        "number": patent.publication_number,
                        "reason": _("declared locally with different terms: %(f)s")
                        % {"f": ", ".join(diffs) or "status"},
                    }
                )
            else:
                report.unchanged += 1
            return
        if parsed["status"] == Declaration.Status.WITHDRAWN:
            report.unchanged += 1  # never known here, already withdrawn there
            return
        declaration = Declaration.objects.create(
            patent=patent,
            source=Declaration.Source.MASTER,
            master_id=parsed["master_id"],
            status=Declaration.Status.ANNOUNCED,
            cnipa_announcement_number=parsed["announcement_number"],
            **{name: parsed[name] for name in COMPARED},
        )
        # The patentees are listed; their written consents stay with the master platform
        # and none is invented here (issue 15). Without CNIPA's announcement number and
        # date in the file the declaration is not in force here (``Declaration.in_force``).
        for link in patent.applicant_links.select_related("organization"):
            PatenteeConsent.objects.get_or_create(
                declaration=declaration, organization=link.organization
            )
        DeclarationStatusChange.objects.create(
            declaration=declaration,
            to_status=declaration.status,
            note=_("Imported from the master platform"),
        )
        report.created.append(patent.publication_number)
        return
    if parsed["status"] == Declaration.Status.WITHDRAWN:
        if mine.status == Declaration.Status.WITHDRAWN:
            report.unchanged += 1
            return
        previous = mine.status
        mine.status = Declaration.Status.WITHDRAWN
        mine.withdrawn_on = parsed["withdrawn_on"] or timezone.localdate()
        mine.save()
        DeclarationStatusChange.objects.create(
            declaration=mine,
            from_status=previous,
            to_status=mine.status,
            note=_("Withdrawn on the master platform"),
        )
        report.withdrawn.append(patent.publication_number)
        return
    diffs = _differences(mine, parsed)
    if not diffs:
        report.unchanged += 1
        return
    for name in diffs:
        setattr(mine, name, parsed[name])
    if parsed["announcement_number"] and not mine.cnipa_announcement_number:
        mine.cnipa_announcement_number = parsed["announcement_number"]
    mine.save()
    report.changed.append(patent.publication_number)


def master_export(*, fmt: str) -> str:
    """Declarations made in this portal, in the same format, for the master platform."""
    rows = []
    qs = (
        Declaration.objects.filter(source=Declaration.Source.LOCAL, status__in=STATUSES)
        .select_related("patent")
        .prefetch_related("consents__organization")
    )
    for d in qs.order_by("id"):
        rows.append(
            {
                "master_id": d.master_id or f"local-{d.pk}",
                "publication_number": d.patent.publication_number,
                "application_number": d.patent.application_number,
                "title": d.patent.title,
                "patentees": ";".join(c.organization.name for c in d.consents.all()),
                "fee_lump_sum": "" if d.fee_lump_sum is None else str(d.fee_lump_sum),
                "royalty_rate": "" if d.royalty_rate is None else str(d.royalty_rate),
                "royalty_base": d.royalty_base,
                "payment_method": d.payment_method,
                "term_years": d.term_years,
                "declared_on": d.declared_on.isoformat(),
                "announced_on": d.announced_on.isoformat() if d.announced_on else "",
                "announcement_number": d.cnipa_announcement_number,
                "status": d.status,
                "withdrawn_on": d.withdrawn_on.isoformat() if d.withdrawn_on else "",
            }
        )
    SyncRun.objects.create(direction=SyncRun.Direction.EXPORT, source="export", created=len(rows))
    if fmt == "json":
        return json.dumps({"format": "open-licence/1", "items": rows}, ensure_ascii=False, indent=1)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(csv_dict(row) for row in rows)
    return out.getvalue()
