"""The written notice (PDF) and the filing (备案) package (zip) of a concluded
open licence. WeasyPrint renders the HTML templates; Noto CJK fonts (Debian
``fonts-noto-cjk``) give the Chinese glyphs."""

from __future__ import annotations

import io
import json
import zipfile

from django.template.loader import render_to_string
from weasyprint import HTML

from .models import OpenLicence


def _pdf(template: str, context: dict) -> bytes:
    return HTML(string=render_to_string(template, context)).write_pdf()


def open_licence_notice_pdf(*, licence: OpenLicence) -> bytes:
    return _pdf("openlicense/notice_pdf.html", {"licence": licence})


def open_licence_filing_package(*, licence: OpenLicence) -> bytes:
    """notice.pdf, filing-form.pdf and a machine-readable filing.json."""
    declaration = licence.declaration
    data = {
        "patent": declaration.patent.publication_number,
        "application_number": declaration.patent.application_number,
        "title": declaration.patent.title,
        "licensors": [c.organization.name for c in declaration.consents.all()],
        "licensee": licence.licensee.name,
        "licensee_uscc": licence.licensee.uscc or "",
        "announced_on": str(declaration.announced_on),
        "notice_sent_on": str(licence.notice_sent_on),
        "paid_on": str(licence.paid_on or ""),
        "payment_amount": str(licence.payment_amount or ""),
        "payment_reference": licence.payment_reference,
        "term_years": declaration.term_years,
        "licence_ends_on": str(licence.deal.ends_on) if licence.deal_id else "",
        "filing_due_on": str(licence.filing_due_on or ""),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notice.pdf", open_licence_notice_pdf(licence=licence))
        archive.writestr(
            "filing-form.pdf",
            _pdf("openlicense/filing_pdf.html", {"licence": licence, "data": data}),
        )
        archive.writestr("filing.json", json.dumps(data, ensure_ascii=False, indent=1))
    return buffer.getvalue()
