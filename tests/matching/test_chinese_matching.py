"""Chinese needs matched on their technology, not on their business words (issue 20).

The pool is real: every CN title of the shipped dataset about batteries, sewage
or concrete, the first 120 titles, and Tai'an records whose abstracts contain the
words that once explained a match on their own (专利, 下降, 许可, 合作). The
needs are written the way enterprises write them: the technology wrapped in
"we seek … through a patent licence or cooperation".
"""

from __future__ import annotations

import csv

import pytest
from django.urls import reverse

from matching.matcher import match_text
from matching.models import TechNeed
from matching.services import need_tag
from patents.models import Organization, Patent, PatentApplicant
from patents.tagging import is_stopword, keywords_extract
from patents.tagging.training import shared_data_dir
from tests.factories import OrganizationFactory

# (need text, title of the real patent that answers it)
CASES = [
    (
        "寻求动力电池热管理技术，希望通过专利许可或技术合作方式引进，"
        "解决电池温度过高导致续航下降的问题",
        "一种基于分布式冷却的汽车动力电池热管理系统",
    ),
    (
        "我公司需要节能环保的污水处理技术，希望与高校合作，通过专利许可引进",
        "节能环保污水处理系统",
    ),
    (
        "寻求混凝土制品的养护技术，降低成本，提高质量，可专利转让或合作开发",
        "一种混凝土制品及其养护方法",
    ),
]
TOPICS = ("电池", "污水", "混凝土")
NOISE = ("专利", "下降", "许可", "合作")


@pytest.fixture
def chinese_pool(db, data_dir, settings):
    settings.MATCHING_EMBEDDINGS = False  # right after an import: no vectors, no e5
    holder = OrganizationFactory(
        name="山东大学", normalized_name="山东大学", kind=Organization.Kind.UNIVERSITY
    )
    patents: list[Patent] = []

    def add(*, number, title, abstract, codes, source, line):
        patent = Patent.objects.create(
            publication_number=number,
            country="CN",
            title=title,
            abstract=abstract,
            title_language="zh",
            main_ipc=codes[0],
            ipc_codes=codes,
            legal_status="granted",
            source_dataset=source,
            source_line=line,
        )
        PatentApplicant.objects.create(
            patent=patent, organization=holder, sequence=0, raw_name=holder.name
        )
        patents.append(patent)

    path = data_dir / "cn_patents_zh" / "cn_patent_titles_ipc_subclasses.csv"
    with path.open(encoding="utf-8") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            if index < 120 or any(t in row["title_zh"] for t in TOPICS):
                add(
                    number=row["publication_numbers"].split("|")[0],
                    title=row["title_zh"],
                    abstract="",
                    codes=row["ipc_subclasses"].split("|"),
                    source="cn_patents_zh",
                    line=index + 2,
                )
    taian = shared_data_dir() / "cn_patents_shandong_taian" / "taian_patents.csv"
    noisy = 0
    if taian.exists():
        with taian.open(encoding="utf-8") as handle:
            for index, row in enumerate(csv.DictReader(handle)):
                if noisy == 40 or row["ipc_is_locarno"] == "True":
                    continue
                if any(w in row["abstract"] for w in NOISE):
                    noisy += 1
                    add(
                        number=row["application_number"],
                        title=row["title"],
                        abstract=row["abstract"],
                        codes=[row["main_ipc"]],
                        source="cn_patents_shandong_taian",
                        line=index + 2,
                    )
    from patents.search import search_index_patents

    search_index_patents(patent_ids=[p.pk for p in patents])
    return patents


def test_business_words_never_become_keywords():
    words = [k for k, _w in keywords_extract(text=CASES[0][0], top=12)]
    assert words[0] == "动力电池热管理", words  # the phrase ranks above its words
    assert {"动力电池", "热管理"} <= set(words)
    for noise in ("专利", "许可", "合作", "下降", "寻求", "技术", "问题", "过高"):
        assert noise not in words
    assert all(not is_stopword(w) for w in words)
    assert is_stopword("专利许可") and is_stopword("技术合作") and not is_stopword("热管理")


@pytest.mark.django_db
@pytest.mark.parametrize(("need_text", "target_title"), CASES)
def test_relevant_patent_in_top_five_and_no_stopword_explanations(
    chinese_pool, need_text, target_title
):
    target = next(p for p in chinese_pool if p.title == target_title)
    results = match_text(text=need_text, top=10)
    ranked = [m.patent_id for m in results]
    assert target.pk in ranked[:5], [(m.title, m.score, m.shared_terms) for m in results]
    for match in results:
        # No match explained by a stop-word alone: every shared term is content,
        # and each match has a content reason (a shared term or a predicted class).
        assert all(not is_stopword(t) for t in match.shared_terms), match.shared_terms
        assert match.shared_terms or any("IPC" in r for r in match.reasons), match
        for noise in NOISE:
            assert noise not in match.shared_terms
    top = results[ranked.index(target.pk)]
    assert any(r.startswith("需求与专利均涉及") for r in top.reasons), top.reasons
    assert top.level in {"high", "medium", "low"}
    assert top.level_display in {"高", "中", "低"}


@pytest.mark.django_db
def test_thermal_reasons_read_as_sentences(chinese_pool):
    target = next(p for p in chinese_pool if p.title == CASES[0][1])
    match = next(m for m in match_text(text=CASES[0][0], top=10) if m.patent_id == target.pk)
    concern = next(r for r in match.reasons if r.startswith("需求与专利均涉及"))
    assert "动力电池" in concern and "热管理" in concern
    ipc = [r for r in match.reasons if "IPC" in r]
    assert ipc and "属于需求预测分类" in ipc[0], match.reasons


@pytest.mark.django_db
def test_staff_page_shows_levels_with_numbers_on_demand(
    client, chinese_pool, enterprise, staff_user
):
    need = TechNeed.objects.create(
        organization=enterprise,
        title="动力电池热管理",
        description=CASES[0][0],
        industry="electrical",
        contact_name="王工",
        contact_mobile="13800138000",
        status=TechNeed.Status.PUBLISHED,
    )
    need_tag(need_id=need.pk)
    need.refresh_from_db()
    assert not any(is_stopword(k) for k, _w in need.keywords), need.keywords
    client.force_login(staff_user)
    page = client.get(reverse("matching:need_staff_detail", args=[need.pk])).content.decode()
    assert "一种基于分布式冷却的汽车动力电池热管理系统" in page
    assert 'class="level level-' in page
    assert any(f">{label}</strong>" in page for label in ("高", "中", "低"))
    assert "<details" in page and "<summary>评分明细</summary>" in page
