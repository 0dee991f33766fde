"""Fixtures of the matching tests: real CN patents, an enterprise, staff."""

from __future__ import annotations

import csv

import pytest
from django.contrib.auth.models import Group

from patents.models import Organization, Patent, PatentApplicant
from patents.validators import org_code_check_char, uscc_check_char
from portal.models import UserProfile
from portal.roles import Role
from tests.factories import OrganizationFactory, UserFactory


def computed_uscc(org_body: str = "MA3C5D1X", region: str = "370100") -> str:
    """A code that passes GB 32100 / GB 11714 checks, computed (not a real company's)."""
    org = org_body + org_code_check_char(org_body)
    body = "91" + region + org
    return body + uscc_check_char(body)


@pytest.fixture(autouse=True)
def _test_settings(settings, monkeypatch):
    # django-simple-captcha reads its test mode once at import: patch its copy.
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)  # accepts "PASSED"
    from django.core.cache import cache

    cache.clear()  # rate-limit counters of one test must not leak into the next
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _eager_celery():
    # With REDIS_URL set tasks would go to a broker no worker reads: run them inline.
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def cn_patents(db, data_dir):
    """The first 120 real CN titles of the shipped dataset as patents of one university."""
    holder = OrganizationFactory(name="山东大学", normalized_name="山东大学")
    path = data_dir / "cn_patents_zh" / "cn_patent_titles_ipc_subclasses.csv"
    patents = []
    with path.open(encoding="utf-8") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            if index == 120:
                break
            codes = row["ipc_subclasses"].split("|")
            patent = Patent.objects.create(
                publication_number=row["publication_numbers"].split("|")[0],
                country="CN",
                title=row["title_zh"],
                title_language="zh",
                main_ipc=codes[0],
                ipc_codes=codes,
                legal_status="granted",
                source_dataset="cn_patents_zh",
                source_line=index + 2,
            )
            PatentApplicant.objects.create(
                patent=patent, organization=holder, sequence=0, raw_name=holder.name
            )
            patents.append(patent)
    from patents.search import search_index_patents

    search_index_patents(patent_ids=[p.pk for p in patents])
    return patents


@pytest.fixture
def enterprise(db):
    return Organization.objects.create(
        name="济南某机械有限公司",
        normalized_name="济南某机械有限公司",
        kind=Organization.Kind.ENTERPRISE,
        country="CN",
        uscc=computed_uscc(),
    )


@pytest.fixture
def enterprise_user(db, enterprise):
    user = UserFactory(username="buyer", email="buyer@example.org", roles=[Role.ENTERPRISE])
    UserProfile.objects.create(user=user, organization=enterprise, mobile="13800138000")
    return user


@pytest.fixture
def staff_user(db):
    Group.objects.get_or_create(name=Role.STAFF.value)
    return UserFactory(username="staff", roles=[Role.STAFF])
