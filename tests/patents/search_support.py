"""Helpers for the search tests: real records (data/) and backend switching."""

from __future__ import annotations

import datetime as dt

from patents.models import Organization, Patent, PatentApplicant, Region
from patents.search import search_index_patents
from patents.search.backends import _backend
from tests.factories import InventorMentionFactory, OrganizationFactory, PatentFactory

# Real records: titles and abstracts from data/cn_patents_zh and
# data/us_patents_patentsview_nvidia (numbers as published).
BIRD = dict(
    publication_number="CN114081026A",
    application_number="202111234567.8",
    title="一种水电站高压输电线路驱鸟保护装置",
    main_ipc="A01M29/00",
    ipc_codes=["A01M29/00", "H02G7/00"],
    publication_date=dt.date(2022, 2, 22),
)
CAR_WASH = dict(
    publication_number="CN215667380U",
    kind_code="U",
    patent_type="utility_model",
    title="一种废水循环利用的自动洗车装置",
    main_ipc="B60S3/04",
    ipc_codes=["B60S3/04", "C02F9/00"],
    publication_date=dt.date(2022, 1, 28),
    legal_status="granted",
)
BANK_QA = dict(
    publication_number="CN117151122A",
    title="一种基于自然语言处理的银行客服会话问答处理方法及系统",
    abstract=(
        "本发明涉及人工智能技术领域，尤其是涉及一种基于自然语言处理的银行客服会话问答处理方法"
        "及系统。所述方法包括以下步骤：获取权限数据，基于权限数据获取产品手册数据以及业务流程"
        "手册数据。"
    ),
    main_ipc="G06F16/3329",
    ipc_codes=["G06F16/3329", "G06F40/35"],
    publication_date=dt.date(2023, 11, 28),
)
MEMORY = dict(
    publication_number="CN115794481A",
    title="存储器控制器和包括其的存储器系统",
    abstract=(
        "本申请提供了存储器控制器和包括其的存储器系统。该存储器控制器包括故障预测器、"
        "纠错码(ECC)管理器和多个ECC引擎。"
    ),
    main_ipc="G06F11/10",
    ipc_codes=["G06F11/10"],
    publication_date=dt.date(2023, 3, 14),
)
RUNAHEAD = dict(
    publication_number="US10001996B2",
    country="US",
    kind_code="B2",
    title="Selective poisoning of data during runahead",
    title_language="en",
    abstract=(
        "Embodiments related to selecting a runahead poison policy from a plurality of runahead "
        "poison policies during microprocessor operation are provided."
    ),
    main_ipc="G06F9/38",
    ipc_codes=["G06F9/38"],
    main_cpc="G06F9/3842",
    cpc_codes=["G06F9/3842"],
    publication_date=dt.date(2018, 6, 19),
    legal_status="granted",
)
THREADS = dict(
    publication_number="US10002031B2",
    country="US",
    kind_code="B2",
    title="Low overhead thread synchronization using hardware-accelerated bounded circular queues",
    title_language="en",
    abstract=(
        "A first thread is placed into a blocked state by causing the thread to perform a "
        "blocking pop operation on a hardware-accelerated, single-entry queue. When a "
        "synchronization event completes, a second thread may release the first thread from the "
        "blocked state pushing a data value onto the hardware accelerated, single-entry queue. "
        "The push operation satisfies the blocking pop operation, and the first thread is "
        "released."
    ),
    main_ipc="G06F9/52",
    ipc_codes=["G06F9/52"],
    main_cpc="G06F9/522",
    cpc_codes=["G06F9/522", "G06F9/3851"],
    publication_date=dt.date(2018, 6, 19),
    legal_status="granted",
)
ALL = (BIRD, CAR_WASH, BANK_QA, MEMORY, RUNAHEAD, THREADS)


def use_backend(settings, tmp_path, name: str) -> None:
    settings.SEARCH_BACKEND = name
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    _backend.cache_clear()


def create_corpus() -> dict[str, Patent]:
    shandong = Region.objects.get_or_create(
        code="370000", defaults=dict(name="山东省", short_name="山东", level=1)
    )[0]
    jinan = Region.objects.get_or_create(
        code="370100", defaults=dict(name="济南市", short_name="济南", level=2, parent=shandong)
    )[0]
    guangdong = Region.objects.get_or_create(
        code="440000", defaults=dict(name="广东省", short_name="广东", level=1)
    )[0]
    shenzhen = Region.objects.get_or_create(
        code="440300", defaults=dict(name="深圳市", short_name="深圳", level=2, parent=guangdong)
    )[0]
    sdu = OrganizationFactory(name="山东大学", kind=Organization.Kind.UNIVERSITY, region=jinan)
    ent = OrganizationFactory(
        name="深圳市某某科技有限公司", kind=Organization.Kind.ENTERPRISE, region=shenzhen
    )
    nvidia = OrganizationFactory(
        name="NVIDIA CORPORATION", kind=Organization.Kind.ENTERPRISE, country="US"
    )
    patents = {}
    for fields in ALL:
        patents[fields["publication_number"]] = PatentFactory(**fields)
    owners = {
        "CN114081026A": sdu,
        "CN215667380U": ent,
        "CN117151122A": sdu,
        "CN115794481A": ent,
        "US10001996B2": nvidia,
        "US10002031B2": nvidia,
    }
    for number, org in owners.items():
        PatentApplicant.objects.create(
            patent=patents[number], organization=org, sequence=0, raw_name=org.name
        )
    InventorMentionFactory(patent=patents["CN114081026A"], raw_name="王伟", normalized_name="王伟")
    InventorMentionFactory(
        patent=patents["US10002031B2"], raw_name="Jonathan Evans", normalized_name="JONATHAN EVANS"
    )
    search_index_patents(patent_ids=[p.pk for p in patents.values()])
    return patents
