"""Every page that accepts a file refuses the same disguised file, through
``portal.uploads.validate_upload``, with the same message and without keeping
anything. A page that grows its own check (or none) fails here."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from matching.models import NeedAttachment, TechNeed
from openlicense.models import SyncRun
from operations_center.models import IndustryChain
from patents.models import ImportJob
from tests.factories import UserFactory
from tests.matching.conftest import enterprise, enterprise_user  # noqa: F401 (fixtures)
from trading.models import DealEvidence

# An executable's first bytes behind an innocent name.
DISGUISED = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8


def _refusal(ext: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext("The file's content does not match its “%(ext)s” extension.") % {
            "ext": ext
        }


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _deal():
    from tests.trading.test_deals import _deal as make_deal

    return make_deal()


CASES = {
    # name: (url builder, form data, file field, file name, what must stay empty)
    "need import": (lambda: reverse("matching:need_import"), {}, "file", "needs.xlsx", TechNeed),
    "batch matching": (lambda: reverse("matching:match_batch"), {}, "file", "n.xlsx", TechNeed),
    "chain import": (lambda: reverse("operations_center:chains"), {}, "file", "c.pdf", None),
    "master sync": (
        lambda: reverse("openlicense:sync"),
        {"source": "shandong-master"},
        "file",
        "master.csv",
        SyncRun,
    ),
    "patent import (admin)": (
        lambda: reverse("admin:patents_importjob_add"),
        {"format": "table", "encoding": "auto"},
        "source_file",
        "export.xlsx",
        ImportJob,
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(CASES))
def test_staff_uploads_refuse_a_disguised_file(case, client, root):
    url, data, field, name, model = CASES[case]
    client.force_login(root)
    response = client.post(url(), {**data, field: SimpleUploadedFile(name, DISGUISED)})
    ext = "." + name.rsplit(".", 1)[1]
    page = response.content.decode()
    if ext == ".pdf":  # the chain import takes JSON or YAML only: refused by type
        assert "不接受“.pdf”类型的文件" in page
        assert not IndustryChain.objects.exists()
    elif ext == ".csv":  # a text format: binary content is refused as not text
        assert f"文件扩展名为 {ext}，但内容不是文本。" in page
    else:
        assert _refusal(ext) in page
    if model is not None:
        assert not model.objects.exists()


@pytest.mark.django_db
def test_deal_evidence_page_refuses_a_disguised_file(client, root, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    deal = _deal()
    client.force_login(root)
    response = client.post(
        reverse("trading:deal_evidence", args=[deal.pk]),
        {"title": "合同", "file": SimpleUploadedFile("contract.pdf", DISGUISED)},
        follow=True,
    )
    assert _refusal(".pdf") in response.content.decode()
    assert not DealEvidence.objects.exists()


@pytest.mark.django_db
def test_need_form_refuses_a_disguised_attachment(client, enterprise_user, monkeypatch):  # noqa: F811
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)  # accepts "PASSED"
    client.force_login(enterprise_user)
    from tests.matching.test_needs import NEED

    response = client.post(
        reverse("matching:need_create"),
        {**NEED, "attachments": [SimpleUploadedFile("spec.docx", DISGUISED)]},
    )
    assert _refusal(".docx") in response.content.decode()
    assert not TechNeed.objects.exists() and not NeedAttachment.objects.exists()
