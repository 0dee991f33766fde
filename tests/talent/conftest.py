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
