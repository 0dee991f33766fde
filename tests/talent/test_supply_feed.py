"""Supply items follow trading listings and open-licence declarations automatically,
idempotently, tied to the talents who invented each patent."""

import datetime as dt

import pytest
from django.core.management import call_command

from openlicense.models import Declaration
from patents.models import Patent
from talent.models import SupplyItem, TalentLink
from talent.services import supply_items_sync, talents_resolve
from tests.factories import OrganizationFactory
from trading.models import Listing, ListingPatent

pytestmark = pytest.mark.django_db


@pytest.fixture
def patents(nvidia_patents):
    talents_resolve()
    return list(Patent.objects.filter(inventor_mentions__isnull=False).distinct()[:3])


def _move(obj, status):
    # What trading's / openlicense's status services do: set the status and save.
    obj.status = status
    obj.save()


def test_listing_feeds_items_per_patent_and_withdraws_them(
    patents, django_capture_on_commit_callbacks
):
    holder = OrganizationFactory(kind="university")
    with django_capture_on_commit_callbacks(execute=True):
        listing = Listing.objects.create(
            holder=holder, title="Graphics package", subject="package", purpose="licence"
        )
        ListingPatent.objects.bulk_create(
            [ListingPatent(listing=listing, patent=p) for p in patents[:2]]
        )
    assert not SupplyItem.objects.exists()  # a draft is not on offer
    with django_capture_on_commit_callbacks(execute=True):
        _move(listing, Listing.Status.NOTICE)
    items = SupplyItem.objects.filter(source="listing", source_object_id=listing.pk)
    assert items.count() == 2
    for item in items:
        assert item.status == "published" and item.kind == "licence" and item.holder == holder
        inventors = set(
            TalentLink.objects.filter(mention__patent=item.patent).values_list("talent", flat=True)
        )
        assert inventors and set(item.talents.values_list("pk", flat=True)) == inventors
    # Saving again, and the catch-up sync, change nothing (idempotent).
    with django_capture_on_commit_callbacks(execute=True):
        _move(listing, Listing.Status.LISTED)
    stats = supply_items_sync()
    assert items.count() == 2 and stats.published == 0 and stats.unchanged == 2
    with django_capture_on_commit_callbacks(execute=True):
        _move(listing, Listing.Status.WITHDRAWN)
    assert set(items.values_list("status", flat=True)) == {"withdrawn"}


def test_announced_open_licence_feeds_one_item_and_the_command_catches_up(
    patents, django_capture_on_commit_callbacks
):
    fields = dict(payment_method="one_off", term_years=3, declared_on=dt.date(2026, 1, 5))
    with django_capture_on_commit_callbacks(execute=True):
        declaration = Declaration.objects.create(patent=patents[2], status="announced", **fields)
    item = SupplyItem.objects.get(source="open_licence", source_object_id=declaration.pk)
    assert item.kind == "open_licence" and item.status == "published" and item.talents.exists()
    # Rows written without signals (bulk loads) are picked up by the command.
    Declaration.objects.bulk_create([Declaration(patent=patents[0], status="announced", **fields)])
    call_command("sync_supply_items")
    assert SupplyItem.objects.filter(source="open_licence", status="published").count() == 2
    call_command("sync_supply_items")
    assert SupplyItem.objects.filter(source="open_licence").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        _move(declaration, Declaration.Status.WITHDRAWN)
    item.refresh_from_db()
    assert item.status == "withdrawn"


def test_items_fed_before_resolution_get_their_talents_from_the_resolve_task(
    nvidia_patents, django_capture_on_commit_callbacks
):
    from talent.tasks import resolve_new_mentions

    patent = Patent.objects.filter(inventor_mentions__isnull=False).first()
    with django_capture_on_commit_callbacks(execute=True):
        listing = Listing.objects.create(
            holder=OrganizationFactory(kind="university"),
            title=patent.title,
            subject="patent",
            purpose="transfer",
            status=Listing.Status.LISTED,
        )
        ListingPatent.objects.create(listing=listing, patent=patent)
        listing.save()  # what trading's status services do after the patents exist
    item = SupplyItem.objects.get(source="listing", source_object_id=listing.pk)
    assert not item.talents.exists()  # nobody resolved yet (demo loaders run in this order)
    resolve_new_mentions()
    assert item.talents.exists()
