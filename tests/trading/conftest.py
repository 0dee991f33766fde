import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_service_messages():
    # Service tests match the English source messages; page tests go through
    # LocaleMiddleware and see the Chinese users see.
    with translation.override("en"):
        yield
