"""The staff search page, saved searches and the public patent page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from patents.models import SavedSearch
from patents.search.saved import saved_search_run_all
from portal.roles import Role
from tests.factories import PatentFactory, UserFactory

from .search_support import create_corpus, use_backend

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = UserFactory(username="staff", roles=[Role.STAFF])
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture(params=["database", "tantivy"])
def corpus(request, settings, tmp_path):
    # Both the database backend and tantivy (the default on PostgreSQL).
    use_backend(settings, tmp_path, request.param)
    return create_corpus()


def test_search_page_shows_highlighted_hits_and_facets_in_chinese(staff_client, corpus):
    response = staff_client.get(reverse("patents:search"), {"q": "装置"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "专利检索" in html
    assert "找到 2 件专利" in html
    assert "<mark>装置</mark>" in html
    # Facets on the left, with labels and counts.
    assert "申请人类型" in html and "高校" in html
    assert "实用新型" in html
    assert 'href="?q=%E8%A3%85%E7%BD%AE&amp;patent_type=utility_model"' in html


def test_search_page_filters_from_facet_links(staff_client, corpus):
    response = staff_client.get(
        reverse("patents:search"), {"q": "装置", "patent_type": "utility_model"}
    )
    html = response.content.decode()
    assert "找到 1 件专利" in html
    assert "CN215667380U" in html and "CN114081026A" not in html


def test_search_page_bad_input_says_what_to_fix(staff_client, corpus):
    response = staff_client.get(reverse("patents:search"), {"q": '" - :'})
    assert response.status_code == 400
    assert "检索式中没有可检索的词" in response.content.decode()
    response = staff_client.get(reverse("patents:search"), {"q": "装置", "region": "999999"})
    assert response.status_code == 400
    assert "未知的地区取值" in response.content.decode()


def test_search_page_is_for_staff_only(client, corpus):
    assert client.get(reverse("patents:search")).status_code == 302  # to login
    client.force_login(UserFactory(username="firm", roles=[Role.ENTERPRISE]))
    assert client.get(reverse("patents:search"), {"q": "装置"}).status_code == 403


def test_saved_search_reports_new_hits_nightly(staff_client, corpus):
    response = staff_client.post(
        reverse("patents:saved_search_save"), {"q": "装置", "country": "CN", "name": "装置监测"}
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(owner=staff_client.user, name="装置监测")
    assert saved.filters == {"country": "CN"}
    assert len(saved.seen_patent_ids) == 2
    # A new patent arrives (a real CN title) and is indexed; the nightly run reports it.
    from patents.search import search_index_patents

    new = PatentFactory(
        publication_number="CN215667381U",
        title="一种建筑工地用扬尘监测装置",
        main_ipc="G01N15/06",
        kind_code="U",
        patent_type="utility_model",
    )
    search_index_patents(patent_ids=[new.pk])
    assert saved_search_run_all() == 1
    saved.refresh_from_db()
    assert saved.last_new_patent_ids == [new.pk]
    assert saved.last_new_count == 1
    page = staff_client.get(reverse("patents:saved_searches")).content.decode()
    assert "装置监测" in page and "<td>1</td>" in page
    # Nothing new the next night.
    assert saved_search_run_all() == 0


def test_saving_a_bad_search_explains(staff_client, corpus):
    response = staff_client.post(
        reverse("patents:saved_search_save"), {"q": "-", "name": "x"}, follow=True
    )
    assert "检索式中没有可检索的词" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_public_patent_page_by_any_number_form(client, corpus):
    from patents.models import IPCCode

    IPCCode.objects.create(code="A01M29/00", level=4, title_zh="吓唬动物的装置")
    for number in ("CN114081026A", "cn114081026a"):
        response = client.get(reverse("patents:detail", args=[number]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "一种水电站高压输电线路驱鸟保护装置" in html
        assert "吓唬动物的装置" in html
    assert client.get(reverse("patents:detail", args=["CN000A"])).status_code == 404
