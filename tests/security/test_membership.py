"""Organization membership is earned (issue 24, critical finding: takeover by registration).

On the old main the sign-up attached a new account to any existing organization
matched by its credit code or just its name, and wrote a typed code onto an
organization that had none.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from matching.models import TechNeed
from patents.models import Organization
from portal.membership import (
    invitation_create,
    membership_join_by_invitation,
    membership_request_decide,
)
from portal.models import AuditEvent, MembershipRequest, OrganizationInvitation, UserProfile
from portal.roles import Role
from tests.factories import OrganizationFactory, UserFactory
from tests.matching.conftest import computed_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _captcha_test_mode(monkeypatch, settings, tmp_path):
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    yield


def settings_private_root():
    from django.conf import settings

    return settings.PRIVATE_MEDIA_ROOT


def _licence():
    return SimpleUploadedFile(
        "营业执照.pdf", b"%PDF-1.4\n%licence\n", content_type="application/pdf"
    )


def _register(client, *, name, uscc, username="newcomer", **extra):
    data = {
        "organization_name": name,
        "uscc": uscc,
        "contact_name": "王经理",
        "mobile": "13912345678",
        "email": f"{username}@example.org",
        "username": username,
        "password": "correct-horse-battery-9",
        "captcha_0": "x",
        "captcha_1": "PASSED",
        **extra,
    }
    return client.post(reverse("matching:register"), data)


@pytest.fixture
def patentee():
    # Like most imported organizations: a name, no credit code.
    return OrganizationFactory(
        name="山东某电力设备有限公司", normalized_name="山东某电力设备有限公司", uscc=None
    )


def test_a_claim_by_name_never_attaches_and_writes_no_code(client, patentee):
    uscc = computed_uscc("MA94KQ2R")
    response = _register(client, name=patentee.name, uscc=uscc, business_licence=_licence())
    assert response.status_code == 302
    profile = UserProfile.objects.get(user__username="newcomer")
    assert profile.organization is None
    patentee.refresh_from_db()
    assert patentee.uscc is None
    claim = MembershipRequest.objects.get(user=profile.user)
    assert claim.organization == patentee and claim.status == MembershipRequest.Status.PENDING
    # Stored privately under a random name, not the uploaded one.
    assert "营业执照" not in claim.evidence.name and claim.evidence.name.endswith(".pdf")
    assert claim.evidence.path.startswith(str(settings_private_root()))
    assert oct(os.stat(claim.evidence.path).st_mode & 0o777) == oct(0o640)
    # Not a member: the organization's needs stay out of reach.
    TechNeed.objects.create(
        organization=patentee, title="t", description="d" * 40, contact_mobile="13800138000"
    )
    assert b"13800138000" not in client.get(reverse("matching:need_mine")).content


def test_a_claim_by_another_enterprises_code_never_attaches(client):
    uscc = computed_uscc("MA3C5D1X")
    holder = OrganizationFactory(name="济南甲公司", normalized_name="济南甲公司", uscc=uscc)
    _register(client, name="随便一个名字有限公司", uscc=uscc, business_licence=_licence())
    assert UserProfile.objects.get(user__username="newcomer").organization is None
    assert MembershipRequest.objects.get().organization == holder


def test_a_claim_without_evidence_is_refused_in_chinese(client, patentee):
    response = _register(client, name=patentee.name, uscc=computed_uscc("MA94KQ2R"))
    assert response.status_code == 200
    assert "营业执照" in response.content.decode()
    assert not UserProfile.objects.filter(user__username="newcomer").exists()


def test_staff_approval_attaches_and_the_first_verified_member_administers(client, patentee):
    uscc = computed_uscc("MA94KQ2R")
    _register(client, name=patentee.name, uscc=uscc, business_licence=_licence())
    _register(client, name=patentee.name, uscc=uscc, username="second", business_licence=_licence())
    staff = UserFactory(username="centre", roles=[Role.STAFF])
    enterprise = UserFactory(username="other", roles=[Role.ENTERPRISE])
    first, second = MembershipRequest.objects.order_by("pk")
    with pytest.raises(PermissionDenied):
        membership_request_decide(claim=first, decided_by=enterprise, approve=True)
    membership_request_decide(claim=first, decided_by=staff, approve=True)
    membership_request_decide(claim=second, decided_by=staff, approve=True)
    one = UserProfile.objects.get(user__username="newcomer")
    two = UserProfile.objects.get(user__username="second")
    assert one.organization == patentee and one.is_organization_admin
    assert two.organization == patentee and not two.is_organization_admin
    patentee.refresh_from_db()
    assert patentee.uscc == uscc  # written only once the licence was verified
    assert AuditEvent.objects.filter(action="membership.approved").count() == 2


def test_rejection_needs_a_reason_and_leaves_the_user_outside(patentee):
    user = UserFactory(username="x")
    claim = MembershipRequest.objects.create(user=user, organization=patentee)
    staff = UserFactory(username="centre", roles=[Role.STAFF])
    with pytest.raises(ValidationError):
        membership_request_decide(claim=claim, decided_by=staff, approve=False, note=" ")
    membership_request_decide(claim=claim, decided_by=staff, approve=False, note="执照不符")
    assert not UserProfile.objects.filter(user=user, organization__isnull=False).exists()
    claim.refresh_from_db()
    assert claim.status == MembershipRequest.Status.REJECTED


def test_invitation_joins_once_and_expires(client, patentee):
    admin = UserFactory(username="boss", roles=[Role.ENTERPRISE])
    UserProfile.objects.create(user=admin, organization=patentee, is_organization_admin=True)
    outsider = UserFactory(username="outsider", roles=[Role.ENTERPRISE])
    with pytest.raises(PermissionDenied):
        invitation_create(organization=patentee, created_by=outsider)
    _invitation, code = invitation_create(organization=patentee, created_by=admin)
    response = _register(client, name="", uscc="", invitation_code=code)
    assert response.status_code == 302
    assert UserProfile.objects.get(user__username="newcomer").organization == patentee
    with pytest.raises(ValidationError):
        membership_join_by_invitation(user=outsider, code=code)  # single use
    invitation, late = invitation_create(organization=patentee, created_by=admin)
    OrganizationInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        membership_join_by_invitation(user=outsider, code=late)
    assert UserProfile.objects.filter(user=outsider, organization=patentee).count() == 0


def test_the_administrator_manages_members_on_the_organization_page(client, patentee):
    admin = UserFactory(username="boss", roles=[Role.ENTERPRISE])
    UserProfile.objects.create(user=admin, organization=patentee, is_organization_admin=True)
    member = UserFactory(username="member", roles=[Role.ENTERPRISE])
    UserProfile.objects.create(user=member, organization=patentee)
    client.force_login(member)
    client.post(reverse("organization_membership"), {"action": "invite"})
    assert not OrganizationInvitation.objects.exists()  # a plain member may not invite
    client.force_login(admin)
    response = client.post(reverse("organization_membership"), {"action": "invite"})
    assert 'id="invitation-code"' in response.content.decode()
    assert OrganizationInvitation.objects.count() == 1
    client.post(reverse("organization_membership"), {"action": "remove", "member": member.pk})
    assert UserProfile.objects.get(user=member).organization is None


def test_a_new_organization_is_created_for_its_registrant(client):
    uscc = computed_uscc("MA94KQ2R")
    response = _register(client, name="淄博某新材料有限公司", uscc=uscc)
    assert response.status_code == 302
    profile = UserProfile.objects.get(user__username="newcomer")
    assert profile.organization.uscc == uscc and not profile.is_organization_admin
    assert Organization.objects.filter(uscc=uscc).count() == 1


def test_staff_review_page_and_licence_download(client, patentee):
    _register(
        client, name=patentee.name, uscc=computed_uscc("MA94KQ2R"), business_licence=_licence()
    )
    claim = MembershipRequest.objects.get()
    client.force_login(UserFactory(username="ent", roles=[Role.ENTERPRISE]))
    assert client.get(reverse("membership_evidence", args=[claim.pk])).status_code == 403
    client.force_login(UserFactory(username="centre", roles=[Role.STAFF]))
    assert patentee.name in client.get(reverse("membership_requests")).content.decode()
    response = client.get(reverse("membership_evidence", args=[claim.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    response = client.post(
        reverse("membership_request_decision", args=[claim.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    assert UserProfile.objects.get(user__username="newcomer").organization == patentee


def test_every_upload_gets_a_random_name_and_private_permissions(settings, tmp_path):
    """Uploads were stored world-readable under user-derived names on the old main."""
    from matching.models import NeedAttachment

    need = TechNeed.objects.create(
        organization=OrganizationFactory(),
        title="t",
        description="d" * 40,
        contact_mobile="13800138000",
    )
    attachment = NeedAttachment.objects.create(
        need=need,
        file=SimpleUploadedFile("../张三的身份证 13800138000.pdf", b"%PDF-1.4\n"),
        original_name="张三的身份证.pdf",
        content_type="application/pdf",
        size=9,
    )
    stored = attachment.file.name
    assert "张三" not in stored and "13800138000" not in stored and stored.endswith(".pdf")
    assert stored.startswith("need-attachments/")
    assert os.stat(attachment.file.path).st_mode & 0o777 == 0o640
