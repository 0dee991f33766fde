import pytest
from django.urls import reverse

from portal.models import UserProfile
from portal.roles import Role
from tests.factories import UserFactory
from trading.models import Deal, Listing, SettlementMilestone

from .factories import enterprise, granted_patent, university

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder():
    return university(name="山东大学")


@pytest.fixture
def holder_client(client, holder):
    user = UserFactory()
    UserProfile.objects.create(user=user, organization=holder)
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client):
    staff = UserFactory(username="staff", roles=[Role.STAFF])
    client.force_login(staff)
    return client


def test_holder_lists_a_patent_and_cannot_publish_it(holder_client, holder):
    patent = granted_patent(holder=holder)
    response = holder_client.post(
        reverse("trading:listing_create"),
        {
            "title": "驱鸟保护装置专利转让",
            "subject": "patent",
            "purpose": "transfer",
            "patents": patent.publication_number,
            "asking_price": "500000",
        },
    )
    listing = Listing.objects.get()
    assert response.status_code == 302
    holder_client.post(reverse("trading:listing_submit", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.status == Listing.Status.SUBMITTED
    # Only staff review or publish.
    assert (
        holder_client.post(reverse("trading:listing_publish", args=[listing.pk])).status_code == 403
    )


def test_listing_form_reports_unknown_patent_numbers(holder_client):
    response = holder_client.post(
        reverse("trading:listing_create"),
        {"title": "x", "subject": "patent", "purpose": "transfer", "patents": "CN000000001A"},
    )
    assert response.status_code == 200
    assert "CN000000001A" in response.content.decode()
    assert not Listing.objects.exists()


def test_publishing_during_notice_is_refused_with_message_in_chinese(staff_client, holder):
    from trading.services import listing_create, listing_review, listing_submit

    listing = listing_create(
        holder=holder,
        title="转让",
        subject="patent",
        purpose="transfer",
        patents=[granted_patent(holder=holder)],
        asking_price=1000,
    )
    listing_submit(listing=listing)
    listing_review(listing=listing, approve=True)
    response = staff_client.post(reverse("trading:listing_publish", args=[listing.pk]), follow=True)
    assert "公示期" in response.content.decode()
    listing.refresh_from_db()
    assert listing.status == Listing.Status.NOTICE


def test_staff_deal_flow_with_milestones(staff_client, holder):
    patent = granted_patent(holder=holder)
    buyer = enterprise()
    response = staff_client.post(
        reverse("trading:deal_create"),
        {
            "kind": "transfer",
            "assignor": holder.name,
            "assignee": buyer.name,
            "patents": patent.publication_number,
            "amount": "300000",
        },
    )
    deal = Deal.objects.get()
    assert response.url == reverse("trading:deal_detail", args=[deal.pk])
    staff_client.post(reverse("trading:deal_sign", args=[deal.pk]), {"signed_on": "2026-11-02"})
    staff_client.post(
        reverse("trading:milestone_add", args=[deal.pk]), {"kind": "deposit", "amount": "50000"}
    )
    milestone = SettlementMilestone.objects.get()
    staff_client.post(
        reverse("trading:milestone_action", args=[milestone.pk, "paid"]),
        {"paid_on": "2026-11-05", "reference": "B-1"},
    )
    page = staff_client.get(reverse("trading:deal_detail", args=[deal.pk])).content.decode()
    milestone.refresh_from_db()
    assert milestone.status == SettlementMilestone.Status.PAID
    assert "已签订" in page or deal.__class__.objects.get().status == "signed"
    # Over-scheduling is refused with the service's message.
    response = staff_client.post(
        reverse("trading:milestone_add", args=[deal.pk]),
        {"kind": "final_payment", "amount": "999999"},
        follow=True,
    )
    assert SettlementMilestone.objects.count() == 1
    assert "300000" in response.content.decode()


def test_public_pages_render(client):
    for name in ("listing_list", "broker_list", "institution_list", "policy_list"):
        assert client.get(reverse(f"trading:{name}")).status_code == 200
    assert client.get(reverse("trading:deal_list")).status_code == 302  # login first
    assert client.get(reverse("trading:listing_detail", args=[999])).status_code == 404


def test_income_valuation_form_stores_result(holder_client, holder):
    from trading.services import listing_create

    listing = listing_create(
        holder=holder,
        title="t",
        subject="patent",
        purpose="transfer",
        patents=[granted_patent(holder=holder)],
        asking_price=1,
    )
    holder_client.post(
        reverse("trading:valuation", args=[listing.pk]),
        {
            "revenue_forecast": "1000000, 1000000",
            "royalty_share": "0.25",
            "discount_rate": "0.1",
            "remaining_years": "2",
        },
    )
    valuation = listing.income_valuations.get()
    # 250000/1.1 + 250000/1.21
    assert str(valuation.value) == "433884.30"
    bad = holder_client.post(
        reverse("trading:valuation", args=[listing.pk]),
        {
            "revenue_forecast": "abc",
            "royalty_share": "0.25",
            "discount_rate": "0.1",
            "remaining_years": "2",
        },
        follow=True,
    )
    assert listing.income_valuations.count() == 1
    assert bad.status_code == 200


def test_financing_request_from_a_listing_shows_matches(holder_client, holder):
    from trading.models import FinancingInstitution, FinancingRequest

    FinancingInstitution.objects.create(
        name="测试投资机构甲",
        kind="fund",
        industries=["A01"],
        ticket_min=100000,
        ticket_max=5000000,
    )
    response = holder_client.post(
        reverse("trading:financing_request"),
        {"amount": "1000000", "industry": "A01M", "stage": ""},
    )
    assert "测试投资机构甲" in response.content.decode()
    assert FinancingRequest.objects.get().organization == holder


def test_financing_request_cannot_borrow_another_organizations_listing(client, holder):
    """Issue 15: ``?listing=<id>`` of another organization's listing filed the request in
    that organization's name."""
    from trading.models import FinancingRequest

    listing = Listing.objects.create(
        title="高效储能电池专利包", subject="patent", purpose="transfer", holder=holder
    )
    stranger = enterprise(name="无关科技有限公司")
    user = UserFactory(username="stranger")
    UserProfile.objects.create(user=user, organization=stranger)
    client.force_login(user)
    url = reverse("trading:financing_request") + f"?listing={listing.pk}"
    assert client.get(url).status_code == 404
    response = client.post(url, {"amount": "1000000", "industry": "A01M", "stage": ""})
    assert response.status_code == 404
    assert not FinancingRequest.objects.exists()
    # Without the listing the request is the stranger's own.
    client.post(reverse("trading:financing_request"), {"amount": "1000000", "industry": "A01M"})
    assert FinancingRequest.objects.get().organization == stranger


def test_financing_request_by_the_holder_keeps_its_listing(holder_client, holder):
    from trading.models import FinancingRequest

    listing = Listing.objects.create(
        title="高效储能电池专利包", subject="patent", purpose="transfer", holder=holder
    )
    url = reverse("trading:financing_request") + f"?listing={listing.pk}"
    holder_client.post(url, {"amount": "1000000", "industry": "A01M", "stage": ""})
    request = FinancingRequest.objects.get()
    assert request.organization == holder and request.listing == listing


def test_staff_set_a_deals_programme_line_on_the_form(staff_client, holder):
    """Issue 15: every deal was line 2 unless edited in the admin."""
    patent = granted_patent(holder=holder)
    staff_client.post(
        reverse("trading:deal_create"),
        {
            "kind": "transfer",
            "assignor": holder.name,
            "assignee": enterprise().name,
            "patents": patent.publication_number,
            "amount": "300000",
            "programme_line": "talent",
        },
    )
    assert Deal.objects.get().programme_line == "talent"


def test_a_line_staff_members_deal_defaults_to_their_line(client, holder):
    staff = UserFactory(username="talent-staff", roles=["centre_staff_trading_hub"])
    client.force_login(staff)
    page = client.get(reverse("trading:deal_create")).content.decode()
    assert 'value="trading_hub" selected' in page
