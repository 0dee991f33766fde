"""Matching API: needs scoped per organization, match results, pushes, feedback, 4xx bodies."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from matching.models import Push, PushItem, TechNeed
from patents.models import Organization
from portal.models import UserProfile
from portal.roles import Role
from tests.factories import UserFactory

from .conftest import computed_uscc

NEEDS = "/api/v1/needs/"
PUSHES = "/api/v1/pushes/"

NEED_BODY = {
    "title": "输电线路驱鸟装置",
    "description": "高压输电线路上鸟类筑巢导致跳闸，需要一种可靠的驱鸟保护装置，要求免维护。",
    "industry": "electrical",
    "cooperation_mode": "licence",
    "budget_range": "10_50",
    "contact_name": "王工",
    "contact_mobile": "13800138000",
}


@pytest.fixture(autouse=True)
def _no_embeddings(settings):
    # The e5 model costs seconds per call on this CPU; the lexical + class path is enough here.
    settings.MATCHING_EMBEDDINGS = False


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def other_enterprise_user(db):
    other = Organization.objects.create(
        name="青岛某电子有限公司",
        normalized_name="青岛某电子有限公司",
        kind=Organization.Kind.ENTERPRISE,
        country="CN",
        uscc=computed_uscc("MA3C5D2X", "370200"),
    )
    user = UserFactory(username="other-buyer", roles=[Role.ENTERPRISE])
    UserProfile.objects.create(user=user, organization=other, mobile="13900139000")
    return user


@pytest.fixture
def own_need(enterprise_user, django_capture_on_commit_callbacks, monkeypatch):
    # Tagging runs after commit (eager Celery); skip the model for speed, keep the record path.
    monkeypatch.setattr("matching.tasks.need_tag_task.delay", lambda need_id: None)
    response = _client(enterprise_user).post(NEEDS, NEED_BODY, format="json")
    assert response.status_code == 201, response.content
    return TechNeed.objects.get(pk=response.json()["id"])


@pytest.mark.django_db
def test_enterprise_submits_and_lists_only_its_own_needs(
    own_need, other_enterprise_user, enterprise
):
    assert own_need.organization == enterprise
    assert own_need.status == TechNeed.Status.SUBMITTED
    mine = _client(own_need.created_by).get(NEEDS).json()
    assert [n["id"] for n in mine["results"]] == [own_need.pk]
    theirs = _client(other_enterprise_user)
    assert theirs.get(NEEDS).json()["results"] == []
    assert theirs.get(f"{NEEDS}{own_need.pk}/").status_code == 404


@pytest.mark.django_db
def test_staff_see_every_need_and_anonymous_nothing(own_need, staff_user):
    listed = _client(staff_user).get(NEEDS).json()["results"]
    assert own_need.pk in [n["id"] for n in listed]
    assert APIClient().get(NEEDS).status_code in (401, 403)


@pytest.mark.django_db
def test_bad_need_input_gets_field_errors(enterprise_user):
    body = {**NEED_BODY, "contact_mobile": "12345", "industry": "space", "description": "短"}
    response = _client(enterprise_user).post(NEEDS, body, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and {"contact_mobile", "industry", "description"} <= set(body["errors"])
    bad_status = _client(enterprise_user).get(NEEDS, {"status": "nonsense"})
    assert bad_status.status_code == 400 and "status" in bad_status.json()["errors"]


@pytest.mark.django_db
def test_staff_user_without_organization_cannot_submit(staff_user):
    response = _client(staff_user).post(NEEDS, NEED_BODY, format="json")
    assert response.status_code == 403
    assert response.json()["detail"]


@pytest.mark.django_db
def test_review_is_staff_only_and_return_needs_a_note(own_need, staff_user):
    enterprise_client = _client(own_need.created_by)
    url = f"{NEEDS}{own_need.pk}/review/"
    assert enterprise_client.post(url, {"decision": "approve"}, format="json").status_code == 403
    staff = _client(staff_user)
    missing_note = staff.post(url, {"decision": "return"}, format="json")
    assert missing_note.status_code == 400 and missing_note.json()["detail"]
    assert staff.post(url, {"decision": "maybe"}, format="json").status_code == 400
    returned = staff.post(url, {"decision": "return", "note": "请补充技术指标"}, format="json")
    assert returned.json()["status"] == TechNeed.Status.RETURNED
    # The enterprise edits the returned need; it goes back to review.
    edited = enterprise_client.patch(
        f"{NEEDS}{own_need.pk}/", {"description": NEED_BODY["description"] + "电压等级220kV。"}
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["status"] == TechNeed.Status.SUBMITTED
    again = enterprise_client.patch(f"{NEEDS}{own_need.pk}/", {"title": "不可再改的标题"})
    assert again.status_code == 400


@pytest.mark.django_db
def test_matches_push_and_feedback(cn_patents, own_need, staff_user, other_enterprise_user):
    staff = _client(staff_user)
    staff.post(f"{NEEDS}{own_need.pk}/review/", {"decision": "approve"}, format="json")
    own_need.refresh_from_db()
    own_need.keywords = [["输电线路", 1.0], ["驱鸟", 0.9]]
    own_need.predicted_ipc = [["H02G", 0.6], ["A01M", 0.3]]
    own_need.save()

    enterprise_client = _client(own_need.created_by)
    assert enterprise_client.get(f"{NEEDS}{own_need.pk}/matches/").status_code == 403
    assert staff.get(f"{NEEDS}{own_need.pk}/matches/", {"top": 0}).status_code == 400
    matches = staff.get(f"{NEEDS}{own_need.pk}/matches/", {"top": 5}).json()
    assert 0 < len(matches) <= 5
    # The real record this need paraphrases (CN114081026A, 驱鸟保护装置) comes first.
    assert matches[0]["publication_number"] == "CN114081026A"
    assert matches[0]["reasons"] and set(matches[0]["signals"]) >= {"lexical", "ipc"}

    bad = staff.post(PUSHES, {"need": own_need.pk, "patents": ["CN000000000X"]}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"]["patents"] == ["CN000000000X"]
    assert (
        enterprise_client.post(
            PUSHES, {"need": own_need.pk, "patents": ["CN114081026A"]}, format="json"
        ).status_code
        == 403
    )
    # The development log channel reaches no one: not selectable with DEBUG off.
    log = staff.post(
        PUSHES, {"need": own_need.pk, "patents": ["CN114081026A"], "channel": "log"}, format="json"
    )
    assert log.status_code == 400 and "log" in log.json()["detail"]
    created = staff.post(
        PUSHES,
        {"need": own_need.pk, "patents": ["CN114081026A"], "channel": "email"},
        format="json",
    )
    assert created.status_code == 201, created.content
    push = Push.objects.get(pk=created.json()["id"])
    item = push.items.get()

    # Scoping: the recipient sees its push, another enterprise does not.
    assert [p["id"] for p in enterprise_client.get(PUSHES).json()["results"]] == [push.pk]
    other = _client(other_enterprise_user)
    assert other.get(f"{PUSHES}{push.pk}/").status_code == 404
    assert (
        other.post(
            f"{PUSHES}{push.pk}/feedback/", {"item": item.pk, "feedback": "interested"}
        ).status_code
        == 404
    )
    no_reason = enterprise_client.post(
        f"{PUSHES}{push.pk}/feedback/", {"item": item.pk, "feedback": "not_interested"}
    )
    assert no_reason.status_code == 400 and no_reason.json()["detail"]
    answered = enterprise_client.post(
        f"{PUSHES}{push.pk}/feedback/", {"item": item.pk, "feedback": "interested"}
    )
    assert answered.status_code == 200
    item.refresh_from_db()
    assert item.feedback == PushItem.Feedback.INTERESTED


@pytest.mark.django_db
def test_line_staff_see_only_their_programme_line(own_need):
    Group.objects.get_or_create(name=Role.STAFF_TALENT.value)
    talent_staff = UserFactory(username="talent-staff", roles=[Role.STAFF_TALENT])
    assert own_need.programme_line != "talent"
    assert _client(talent_staff).get(f"{NEEDS}{own_need.pk}/").status_code == 404


@pytest.mark.django_db
def test_schema_documents_the_matching_endpoints(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/v1/needs/{id}/matches/" in body
    assert "/api/v1/pushes/{id}/feedback/" in body
