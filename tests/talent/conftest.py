import pytest

from talent.demo import load_nvidia_sample


@pytest.fixture
def nvidia_patents(db):
    """The first 60 patents of the real NVIDIA sample, with inventors."""
    load_nvidia_sample(limit=60)


@pytest.fixture
def staff_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="centre-staff", roles=["centre_staff"])


@pytest.fixture
def plain_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="enterprise-user", roles=["enterprise"])


def reimport_mentions():
    """What the patent importer does on a re-import: the patent row is upserted, its
    inventor mention rows are deleted and inserted again (new ids, links gone)."""
    from patents.models import InventorMention

    rows = list(
        InventorMention.objects.values(
            "patent_id",
            "sequence",
            "raw_name",
            "normalized_name",
            "affiliation",
            "country",
            "region_id",
            "source_person_id",
        )
    )
    InventorMention.objects.all().delete()
    InventorMention.objects.bulk_create([InventorMention(**r) for r in rows])
