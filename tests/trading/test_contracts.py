"""Signed contracts (issue 23, item 4): the PDF generated from the deal, PAdES
signatures of both parties verified on upload, the checksum kept; every
refusal has a test."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from trading.models import DealContract
from trading.services import TradingError, deal_create
from trading.services.contracts import (
    contract_pdf_sign,
    deal_contract_pdf,
    deal_contract_upload,
)

from .factories import enterprise, granted_patent, university

pytestmark = pytest.mark.django_db
DER = serialization.Encoding.DER


def _name(cn, org):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _cert(subject, key, issuer, issuer_key, *, ca=False):
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
    return builder.sign(issuer_key, hashes.SHA256())


class Authority:
    def __init__(self, name):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = _name(name, name)
        self.cert = _cert(self.name, self.key, self.name, self.key, ca=True)

    def party(self, org):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _cert(_name(f"{org} 法定代表人", org), key, self.name, self.key)
        return {
            "key_der": key.private_bytes(
                DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
            "cert_der": cert.public_bytes(DER),
            "chain_der": [self.cert.public_bytes(DER)],
        }


@pytest.fixture
def ca(tmp_path):
    authority = Authority("测试电子认证服务机构")
    root = tmp_path / "root.pem"
    root.write_bytes(authority.cert.public_bytes(serialization.Encoding.PEM))
    with override_settings(TRADING_CONTRACT_TRUST_ROOTS=[str(root)]):
        yield authority


@pytest.fixture
def deal():
    seller = university(name="山东大学")
    return deal_create(
        kind="transfer",
        assignor=seller,
        assignee=enterprise(name="山东黄河河务局供水局"),
        patents=[granted_patent(holder=seller)],
        amount=480000,
        contract_number="HT-2026-007",
    )


def _signed(deal, ca, *parties):
    pdf = deal_contract_pdf(deal=deal)
    for i, org in enumerate(parties):
        pdf = contract_pdf_sign(pdf=pdf, field=f"Party{i + 1}", **ca.party(org))
    return pdf


def _upload(deal, data, name="合同.pdf"):
    return deal_contract_upload(deal=deal, file=SimpleUploadedFile(name, data))


def test_generated_pdf_signed_by_both_parties_is_kept_with_checksum(deal, ca):
    pdf = deal_contract_pdf(deal=deal)
    assert pdf.startswith(b"%PDF")
    data = _signed(deal, ca, deal.assignor.name, deal.assignee.name)
    contract = _upload(deal, data)
    assert contract.sha256 == hashlib.sha256(data).hexdigest()
    assert [s["organization"] for s in contract.signers] == ["山东大学", "山东黄河河务局供水局"]
    with contract.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == contract.sha256
    with pytest.raises(TradingError, match="already stored"):
        _upload(deal, data)


def test_refusals(deal, ca):
    pdf = deal_contract_pdf(deal=deal)
    with pytest.raises(TradingError, match="no signature"):
        _upload(deal, pdf)
    with pytest.raises(TradingError, match="as a PDF"):
        _upload(deal, b"\x89PNG\r\n\x1a\n" + b"0" * 100, name="合同.png")
    one = _signed(deal, ca, deal.assignor.name)
    with pytest.raises(TradingError, match="lacks the signature of: 山东黄河河务局供水局"):
        _upload(deal, one)
    both = _signed(deal, ca, deal.assignor.name, deal.assignee.name)
    # One byte of the first page's content stream changed after signing.
    at = both.index(b"stream") + 20
    tampered = both[:at] + bytes([both[at] ^ 0x01]) + both[at + 1 :]
    with pytest.raises(TradingError, match="changed after signing"):
        _upload(deal, tampered)
    stranger = Authority("其他机构")
    foreign = _signed(deal, stranger, deal.assignor.name, deal.assignee.name)
    with pytest.raises(TradingError, match="not issued by a trusted authority"):
        _upload(deal, foreign)
    assert DealContract.objects.count() == 0


def test_no_trust_roots_configured(deal, ca):
    data = _signed(deal, ca, deal.assignor.name, deal.assignee.name)
    with (
        override_settings(TRADING_CONTRACT_TRUST_ROOTS=[]),
        pytest.raises(TradingError, match="No trusted certificate authority"),
    ):
        _upload(deal, data)


def test_deal_page_download_and_upload(client, deal, ca):
    from portal.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="staff", roles=[Role.STAFF]))
    response = client.get(f"/trading/deals/{deal.pk}/contract.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    unsigned = SimpleUploadedFile("合同.pdf", response.content)
    page = client.post(f"/trading/deals/{deal.pk}/contracts/", {"file": unsigned}, follow=True)
    assert "合同上没有任何签名。" in page.content.decode()
    data = _signed(deal, ca, deal.assignor.name, deal.assignee.name)
    page = client.post(
        f"/trading/deals/{deal.pk}/contracts/",
        {"file": SimpleUploadedFile("合同.pdf", data)},
        follow=True,
    )
    html = page.content.decode()
    assert "已签署合同验证通过并已保存。" in html
    assert hashlib.sha256(data).hexdigest() in html
