"""One service per need operation: every entry point meets the same rules.

Each test drives one operation through each of its entry points (public page,
API, Excel import, admin) and asserts the same refusal, the same audit record
and the same side effects. When an entry point grows its own rule or skips the
service, one of these cases stops matching the others.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from matching.models import Push, TechNeed
from portal.models import AuditEvent
from tests.factories import UserFactory

from .conftest import computed_uscc

TITLE_REFUSAL = "Give the need a title of at least 4 characters."
SHORT_TITLE = "驱鸟器"  # three characters
GOOD = {
    "title": "寻求高压输电线路驱鸟技术",
    "description": "山区高压输电线路鸟类筑巢导致跳闸，需要可靠、免维护的驱鸟保护装置。",
    "industry": "electrical",
    "cooperation_mode": "licence",
    "budget_range": "10_50",
    "contact_name": "张工",
    "contact_mobile": "13800138000",
}
IMPORT_HEADER = ["企业名称", "统一社会信用代码", "联系人", "手机", "需求名称", "需求描述"]
IMPORT_HEADER += ["行业", "合作方式"]


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def _tagging_calls(monkeypatch):
    """The side effect every submission enqueues: tagging of the new need."""
    calls: list[int] = []
    monkeypatch.setattr("matching.tasks.need_tag_task.delay", lambda need_id: calls.append(need_id))
    return calls


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _via_page(client, user, fields) -> str:
    client.force_login(user)
    body = {**fields, "captcha_0": "x", "captcha_1": "PASSED"}
    response = client.post(reverse("matching:need_create"), body)
    return response.content.decode()


def _via_api(client, user, fields) -> str:
    api = APIClient()
    api.force_authenticate(user)
    response = api.post("/api/v1/needs/", fields, format="json")
    assert response.status_code in (201, 400), response.content
    return response.content.decode() if response.status_code == 400 else ""


def _via_import(client, staff, fields) -> str:
    workbook = openpyxl.Workbook()
    workbook.active.append(IMPORT_HEADER)
    workbook.active.append(
        [
            "济南某机械有限公司",
            computed_uscc(),
            fields["contact_name"],
            fields["contact_mobile"],
            fields["title"],
            fields["description"],
            "电气工程",
            "专利许可",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "needs.xlsx"
    client.force_login(staff)
    response = client.post(reverse("matching:need_import"), {"file": buffer})
    assert response.status_code == 200
    return response.content.decode()


def _via_admin(client, superuser, enterprise, fields) -> str:
    client.force_login(superuser)
    body = {
        **fields,
        "organization": enterprise.pk,
        "programme_line": "industry_operations",
        "source": "staff",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:matching_techneed_add"), body)
    return response.content.decode()


ENTRY_POINTS = ["page", "api", "import", "admin"]


@pytest.fixture
def submit(client, enterprise_user, staff_user, superuser, enterprise):
    """``submit(entry, fields)``: the page text (or API body) after submitting."""

    def run(entry: str, fields: dict) -> str:
        if entry == "page":
            return _via_page(client, enterprise_user, fields)
        if entry == "api":
            return _via_api(client, enterprise_user, fields)
        if entry == "import":
            return _via_import(client, staff_user, fields)
        return _via_admin(client, superuser, enterprise, fields)

    return run


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_short_title_is_refused_the_same_way_everywhere(entry, submit, _tagging_calls):
    page = submit(entry, {**GOOD, "title": SHORT_TITLE})
    assert _zh(TITLE_REFUSAL) in page
    assert not TechNeed.objects.exists()
    assert _tagging_calls == []


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_good_need_is_submitted_and_tagged_the_same_way_everywhere(
    entry, submit, enterprise, _tagging_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(entry, GOOD)
    need = TechNeed.objects.get()
    assert need.status == TechNeed.Status.SUBMITTED
    assert need.organization == enterprise
    assert (need.title, need.contact_mobile) == (GOOD["title"], GOOD["contact_mobile"])
    assert _tagging_calls == [need.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_bad_mobile_number_is_refused_everywhere(entry, submit):
    page = submit(entry, {**GOOD, "contact_mobile": "12345"})
    assert _zh("Enter an 11-digit mainland mobile number, e.g. 13800138000.") in page
    assert not TechNeed.objects.exists()


def _review(entry, client, staff_user, need, decision, note):
    if entry == "page":
        client.force_login(staff_user)
        client.post(
            reverse("matching:need_staff_detail", args=[need.pk]),
            {"review": "1", "decision": decision, "note": note},
        )
        return
    api = APIClient()
    api.force_authenticate(staff_user)
    api.post(
        f"/api/v1/needs/{need.pk}/review/", {"decision": decision, "note": note}, format="json"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ["page", "api"])
def test_a_review_is_audited_the_same_way_from_page_and_api(
    entry, client, enterprise, staff_user, settings
):
    settings.MATCHING_EMBEDDINGS = False
    need = TechNeed.objects.create(organization=enterprise, **GOOD)
    # Refused (a return needs a note): nothing changes, nothing is audited.
    _review(entry, client, staff_user, need, "return", "")
    need.refresh_from_db()
    assert need.status == TechNeed.Status.SUBMITTED
    assert not AuditEvent.objects.filter(action="matching.need_review").exists()
    _review(entry, client, staff_user, need, "approve", "")
    need.refresh_from_db()
    assert need.status == TechNeed.Status.PUBLISHED and need.reviewed_by == staff_user
    event = AuditEvent.objects.get(action="matching.need_review")
    assert (event.actor, event.target_type, event.target_id) == (
        staff_user,
        "matching.techneed",
        str(need.pk),
    )
    assert event.details == {"decision": "approve", "status": "published"}


@pytest.mark.django_db
def test_pushing_an_unpublished_need_is_refused_by_the_service(client, enterprise, staff_user):
    from matching.models import PushItem
    from matching.services import PushItemSpec, push_create
    from tests.factories import PatentFactory

    need = TechNeed.objects.create(organization=enterprise, **GOOD)
    patent = PatentFactory()
    api = APIClient()
    api.force_authenticate(staff_user)
    response = api.post(
        "/api/v1/pushes/",
        {"need": need.pk, "patents": [patent.publication_number]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == _zh("Only published needs receive pushes.")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refusal:
        push_create(
            organization=enterprise,
            items=[PushItemSpec(kind=PushItem.Kind.PATENT, patent_id=patent.pk)],
            channel=Push.Channel.LOG,
            programme_line=need.programme_line,
            need=need,
        )
    assert refusal.value.messages == [_zh("Only published needs receive pushes.")]
    assert not Push.objects.exists()
