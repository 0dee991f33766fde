"""PIPL controls: consent-gated contact data, objections that survive re-imports, access audit."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from talent.demo import load_nvidia_sample
from talent.models import ConsentRecord, Objection, ProfileAccess, SupplyItem, Talent
from talent.selectors import talent_profile
from talent.services import (
    consent_record,
    consent_withdraw,
    objection_decide,
    objection_submit,
    supply_item_create,
    talent_contact_set,
    talents_resolve,
)
from tests.talent.conftest import reimport_mentions

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(nvidia_patents):
    talents_resolve()
    return Talent.objects.order_by("-patent_count", "pk").first()


def test_contact_details_need_recorded_consent(talent, staff_user):
    with pytest.raises(ValidationError):
        talent_contact_set(talent=talent, email="inventor@example.org")
    consent_record(
        talent=talent,
        scope=ConsentRecord.Scope.CONTACT,
        evidence="signed form 2026-03",
        user=staff_user,
    )
    talent_contact_set(talent=talent, email="inventor@example.org")
    assert talent_profile(talent_id=talent.pk).show_contact
    consent_withdraw(talent=talent, scope=ConsentRecord.Scope.CONTACT)
    talent.refresh_from_db()
    assert talent.contact_email == ""
    assert not talent_profile(talent_id=talent.pk).show_contact


def test_upheld_objection_hides_profile_and_survives_reimport(talent, staff_user, client):
    objection = objection_submit(
        talent=talent, requester_name="本人", requester_contact="tel 0531", message="请撤下我的档案"
    )
    objection_decide(objection=objection, uphold=True, note="identity checked", user=staff_user)
    # Withdrawn: not even centre staff (who may read profiles) find it.
    client.force_login(staff_user)
    assert client.get(reverse("talent:profile", args=[talent.pk])).status_code == 404
    # A full re-run and a re-import keep the person withdrawn.
    load_nvidia_sample()
    talents_resolve(full=True)
    talents_resolve()
    reimport_mentions()  # a re-import replaces every mention row
    talents_resolve()
    talent.refresh_from_db()
    assert talent.suppressed and talent.links.exists()
    assert client.get(reverse("talent:profile", args=[talent.pk])).status_code == 404
    patent = talent.links.first().mention.patent
    item = supply_item_create(patent=patent, kind=SupplyItem.Kind.LICENCE)
    assert talent not in item.talents.all()


def test_objection_form_is_public_and_validated(talent, client):
    url = reverse("talent:objection", args=[talent.pk])
    response = client.post(url, {"requester_name": "", "requester_contact": "", "message": ""})
    assert response.status_code == 200 and not Objection.objects.exists()
    response = client.post(
        url,
        {"requester_name": "李明", "requester_contact": "li@example.org", "message": "链接有误"},
    )
    assert response.status_code == 302
    assert Objection.objects.get().status == Objection.Status.RECEIVED


def test_objection_decided_only_once(talent, staff_user):
    objection = objection_submit(
        talent=talent, requester_name="a", requester_contact="b", message="c"
    )
    objection_decide(objection=objection, uphold=False, user=staff_user)
    with pytest.raises(ValidationError):
        objection_decide(objection=objection, uphold=True, user=staff_user)


def test_views_and_exports_are_audited(talent, client, plain_user, staff_user):
    from portal.models import AuditEvent
    from portal.roles import Role
    from tests.factories import UserFactory

    profile = reverse("talent:profile", args=[talent.pk])
    export = reverse("talent:profile_export", args=[talent.pk])
    # An enterprise user never sees a profile (personal data): 403, nothing logged.
    client.force_login(plain_user)
    assert client.get(profile).status_code == 403
    assert client.get(f"/api/v1/talents/{talent.pk}/").status_code == 403
    assert client.get("/api/v1/talents/").status_code == 403
    # Staff of another line read (audited) but do not export; the talent line exports.
    trading = UserFactory(username="trading-staff", roles=[Role.STAFF_TRADING_HUB])
    client.force_login(trading)
    assert client.get(profile).status_code == 200
    assert client.get(f"/api/v1/talents/{talent.pk}/").status_code == 200
    assert client.get(export).status_code == 403
    client.force_login(staff_user)
    response = client.get(export)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    actions = list(ProfileAccess.objects.order_by("at").values_list("user__username", "action"))
    assert actions == [
        ("trading-staff", "view"),
        ("trading-staff", "view"),
        ("centre-staff", "export"),
    ]
    # The portal audit trail (searched by the audit administrator) has them too.
    events = AuditEvent.objects.filter(target_type="talent.talent", target_id=str(talent.pk))
    assert sorted(events.values_list("actor__username", "action")) == [
        ("centre-staff", "data.exported"),
        ("trading-staff", "data.personal_viewed"),
        ("trading-staff", "data.personal_viewed"),
    ]


def test_profile_needs_login(talent, client):
    response = client.get(reverse("talent:profile", args=[talent.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
