"""Signed contracts: the deal's contract as a PDF generated from the deal
record, signed by each party with a PAdES signature (pyHanko), verified when
the signed file is uploaded and stored with its SHA-256 checksum. The CNIPA
recordal number is entered afterwards through ``deal_record``.

Verification trusts the certificate authorities listed in
``settings.TRADING_CONTRACT_TRUST_ROOTS`` (PEM or DER files). A signed file is
kept only if it carries PAdES signatures (``ETSI.CAdES.detached``) that are
intact, valid and chain to a trusted root, no change after signing beyond
further signatures, and one signature from each party of the deal (the
certificate's organization name is the party's registered name).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.uploads import DOCUMENT, sanitize_filename, validate_upload

from ..models import Deal, DealContract
from .errors import TradingError

PADES_SUBFILTER = "/ETSI.CAdES.detached"


def deal_contract_pdf(*, deal: Deal) -> bytes:
    """The contract text generated from the deal record (unsigned)."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    # The contract is in Chinese whoever asks for it.
    with translation.override("zh-hans"):
        html = render_to_string(
            "trading/contract_pdf.html",
            {
                "deal": deal,
                "patents": list(deal.patents.all()),
                "milestones": list(deal.milestones.all()),
            },
        )
    return HTML(string=html).write_pdf()


def contract_pdf_sign(*, pdf: bytes, key_der: bytes, cert_der: bytes, chain_der=(), field: str):
    """Add one PAdES signature (the party's key and certificate) to ``pdf``;
    an incremental update, so earlier signatures stay valid. Parties normally
    sign with their own tools; the portal uses this for its tests and demos."""
    from asn1crypto import keys, x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = signers.SimpleSigner(
        signing_cert=x509.Certificate.load(cert_der),
        signing_key=keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(
            [x509.Certificate.load(c) for c in chain_der]
        ),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=SigSeedSubFilter.PADES)
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def _trust_roots():
    from asn1crypto import pem, x509

    roots = []
    for path in getattr(settings, "TRADING_CONTRACT_TRUST_ROOTS", []):
        data = Path(path).read_bytes()
        if pem.detect(data):
            data = pem.unarmor(data)[2]
        roots.append(x509.Certificate.load(data))
    return roots


def contract_signatures_verify(*, data: bytes) -> list[dict]:
    """The verified signers of ``data``; ``TradingError`` with every problem otherwise."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data))
        signatures = list(reader.embedded_signatures)
    except Exception:  # pyHanko raises several parser errors for a damaged file
        raise TradingError(_("The file is not a readable PDF.")) from None
    if not signatures:
        raise TradingError(_("The contract carries no signature."))
    roots = _trust_roots()
    if not roots:
        raise TradingError(_("No trusted certificate authority is configured; ask the centre."))
    problems, signers = [], []
    for sig in signatures:
        name = sig.field_name
        if str(sig.sig_object.get("/SubFilter")) != PADES_SUBFILTER:
            problems.append(_("Signature %(f)s is not a PAdES signature.") % {"f": name})
            continue
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = validate_pdf_signature(sig, context)
        except Exception:
            problems.append(_("Signature %(f)s cannot be validated.") % {"f": name})
            continue
        if not status.intact or not status.valid:
            problems.append(
                _("Signature %(f)s does not match the document: it was changed after signing.")
                % {"f": name}
            )
        elif not status.trusted:
            problems.append(
                _("The certificate of signature %(f)s is not issued by a trusted authority.")
                % {"f": name}
            )
        elif not status.docmdp_ok:
            problems.append(
                _("The document was changed after signature %(f)s beyond adding signatures.")
                % {"f": name}
            )
        else:
            subject = status.signing_cert.subject.native
            signers.append(
                {
                    "field": name,
                    "organization": subject.get("organization_name", ""),
                    "common_name": subject.get("common_name", ""),
                    "serial": str(status.signing_cert.serial_number),
                    "signed_at": status.signer_reported_dt.isoformat()
                    if status.signer_reported_dt
                    else "",
                }
            )
    if problems:
        raise TradingError(problems)
    return signers


@transaction.atomic
def deal_contract_upload(*, deal: Deal, file, actor=None, request=None) -> DealContract:
    """Verify and keep the signed contract of ``deal``."""
    try:
        validate_upload(file, kind=DOCUMENT)
    except ValidationError as exc:
        raise TradingError(exc.messages) from None
    if not file.name.lower().endswith(".pdf"):
        raise TradingError(_("Upload the signed contract as a PDF."))
    if deal.status == Deal.Status.CANCELLED:
        raise TradingError(_("A cancelled deal takes no contract."))
    file.seek(0)
    data = file.read()
    signers = contract_signatures_verify(data=data)
    organizations = {s["organization"] for s in signers}
    missing = [p.name for p in (deal.assignor, deal.assignee) if p.name not in organizations]
    if missing:
        raise TradingError(
            _("The contract lacks the signature of: %(names)s.") % {"names": "、".join(missing)}
        )
    digest = hashlib.sha256(data).hexdigest()
    if deal.contracts.filter(sha256=digest).exists():
        raise TradingError(_("This signed contract is already stored."))
    contract = DealContract(deal=deal, sha256=digest, signers=signers, uploaded_by=_user(actor))
    contract.file.save(sanitize_filename(file.name), ContentFile(data), save=False)
    contract.save()
    audit_record(
        actor=actor,
        action="trading.contract_uploaded",
        target=deal,
        details={"contract": contract.pk, "sha256": digest, "signatures": len(signers)},
        request=request,
    )
    return contract


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
