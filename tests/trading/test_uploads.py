"""Trading's files (deal evidence, listing documents) pass portal.uploads.validate_upload."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from trading.models import DealEvidence, ListingDocument
from trading.services import TradingError, deal_evidence_add, listing_create

from .factories import granted_patent, university
from .test_deals import _deal

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_deal_evidence_refuses_a_disguised_file_and_keeps_a_pdf(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    deal = _deal()
    fake = SimpleUploadedFile("contract.pdf", b"MZ\x90\x00 an executable")
    with pytest.raises(TradingError, match="does not match"):
        deal_evidence_add(deal=deal, title="合同扫描件", file=fake)
    with pytest.raises(TradingError, match="not accepted"):
        deal_evidence_add(deal=deal, title="合同", file=SimpleUploadedFile("x.exe", PDF))
    assert not DealEvidence.objects.exists()
    deal_evidence_add(deal=deal, title="合同", file=SimpleUploadedFile("contract.pdf", PDF))
    assert DealEvidence.objects.get().title == "合同"


def test_listing_documents_are_checked_before_the_listing_is_kept(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    holder = university(name="山东大学")
    with pytest.raises(TradingError, match="empty"):
        listing_create(
            holder=holder,
            title="驱鸟装置转让",
            subject="patent",
            purpose="transfer",
            patents=[granted_patent(holder=holder)],
            documents=[("说明", SimpleUploadedFile("a.pdf", b""))],
        )
    assert not ListingDocument.objects.exists()
