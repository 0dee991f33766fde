"""Expert finding, staff corrections and the review queue through the pages."""

import itertools

import pytest
from django.urls import reverse

from talent.models import Talent, TalentConstraint, TalentLink
from talent.selectors import experts_find
from talent.services import talents_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(nvidia_patents):
    talents_resolve()


def test_experts_ranked_with_reasons(resolved):
    hits = experts_find(text="neural network")
    assert hits
    top = hits[0]
    assert any("neural" in r for r in top.reasons)
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))
    linked = set(
        TalentLink.objects.filter(talent=top.talent).values_list(
            "mention__patent__title", flat=True
        )
    )
    assert any(title in linked for _n, title, _pk in top.patents)


def test_expert_region_filter_overseas_and_shandong(resolved):
    assert experts_find(text="neural network", region="overseas")  # NVIDIA inventors: US
    assert experts_find(text="neural network", region="shandong") == []


def test_experts_page_validates_and_renders(resolved, client, staff_user, plain_user):
    # Searching people is personal data (PIPL): centre staff only.
    client.force_login(plain_user)
    assert client.get(reverse("talent:experts"), {"q": "neural network"}).status_code == 403
    client.force_login(staff_user)
    response = client.get(reverse("talent:experts"), {"q": "x"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.get(reverse("talent:experts"), {"q": "neural network", "region": ""})
    assert response.status_code == 200 and response.context["hits"]
    assert "查找专家" in response.content.decode()  # Chinese UI by default


def test_staff_split_and_merge_through_pages(resolved, client, staff_user, plain_user):
    talent = next(t for t in Talent.objects.all() if t.links.count() >= 2)
    mention_id = talent.links.first().mention_id
    client.force_login(plain_user)
    url = reverse("talent:correct", args=[talent.pk, "split"])
    assert client.post(url, {"mentions": [mention_id]}).status_code == 403
    client.force_login(staff_user)
    assert client.post(url, {"mentions": [mention_id], "reason": "two people"}).status_code == 302
    new_id = TalentLink.objects.get(mention_id=mention_id).talent_id
    assert new_id != talent.pk
    url = reverse("talent:correct", args=[talent.pk, "merge"])
    assert client.post(url, {"other": new_id}).status_code == 302
    assert TalentLink.objects.get(mention_id=mention_id).talent_id == talent.pk
    mention = TalentLink.objects.get(mention_id=mention_id).mention
    assert TalentConstraint.objects.filter(
        patent_id=mention.patent_id, sequence=mention.sequence, talent=talent
    ).exists()
    response = client.post(url, {"other": 999999})
    assert response.status_code == 302  # back to the profile with the form's message


def test_review_queue_page(resolved, client, staff_user):
    link = TalentLink.objects.first()
    link.review = TalentLink.Review.PENDING
    link.save()
    client.force_login(staff_user)
    response = client.get(reverse("talent:review"))
    assert response.status_code == 200 and link.mention.raw_name in response.content.decode()
    client.post(reverse("talent:link_confirm", args=[link.pk]))
    link.refresh_from_db()
    assert link.review == TalentLink.Review.CONFIRMED


def test_api_experts_and_supply_items(resolved, client, plain_user, staff_user):
    url = "/api/v1/talents/experts/"
    assert client.get(url, {"q": "neural network"}).status_code in (401, 403)
    client.force_login(plain_user)
    assert client.get(url, {"q": "neural network"}).status_code == 403
    # Enterprises read the public supply directory with its talents' public figures.
    assert client.get("/api/v1/supply-items/").status_code == 200
    client.force_login(staff_user)
    response = client.get(url, {"q": "x"})
    assert response.status_code == 400 and "q" in response.json()["errors"]
    response = client.get(url, {"q": "neural network", "region": "overseas"})
    assert response.status_code == 200 and response.json()[0]["reasons"]
    assert client.get("/api/v1/supply-items/").status_code == 200


def test_review_queue_reasons_are_translated(resolved, client, staff_user):
    from django.utils import translation

    from talent.reasons import reason_label

    link = TalentLink.objects.first()
    link.review = TalentLink.Review.PENDING
    link.reasons = ["name full", "2 shared co-inventor(s)", "different assignee"]
    link.save()
    client.force_login(staff_user)
    page = client.get(reverse("talent:review")).content.decode()
    assert "名字相同" in page and "2 位共同发明人" in page and "申请人/单位不同" in page
    assert "name full" not in page
    with translation.override("en"):
        assert reason_label("2 shared co-inventor(s)") == "2 shared co-inventors"
        assert reason_label("an unknown key") == "an unknown key"
