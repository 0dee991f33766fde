from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from operations_center.services.chains import chain_import
from patents.models import LegalStatus, PatentClassification, PatentType, Region
from tests.factories import OrganizationFactory, PatentApplicantFactory, PatentFactory

CHAINS_DIR = Path(__file__).resolve().parents[2] / "operations_center" / "fixtures" / "chains"


@pytest.fixture
def nev_chain(db):
    data = json.loads((CHAINS_DIR / "new-energy-vehicles.json").read_text(encoding="utf-8"))
    return chain_import(data=data)


@pytest.fixture
def regions(db):
    # GB/T 2260 codes and names as in data/cn_admin_divisions.
    shandong = Region.objects.create(code="370000", name="山东省", short_name="山东", level=1)
    jinan = Region.objects.create(
        code="370100", name="济南市", short_name="济南", level=2, parent=shandong
    )
    qingdao = Region.objects.create(
        code="370200", name="青岛市", short_name="青岛", level=2, parent=shandong
    )
    jiangsu = Region.objects.create(code="320000", name="江苏省", short_name="江苏", level=1)
    nanjing = Region.objects.create(
        code="320100", name="南京市", short_name="南京", level=2, parent=jiangsu
    )
    return {"sd": shandong, "jn": jinan, "qd": qingdao, "js": jiangsu, "nj": nanjing}


def make_patent(
    *,
    title,
    ipc=(),
    org=None,
    year=2021,
    ptype=PatentType.INVENTION,
    status=LegalStatus.GRANTED,
    co_org=None,
):
    patent = PatentFactory(
        title=title,
        main_ipc=ipc[0] if ipc else "",
        ipc_codes=list(ipc),
        application_date=dt.date(year, 3, 1),
        patent_type=ptype,
        legal_status=status,
    )
    for i, code in enumerate(ipc):
        PatentClassification.objects.create(
            patent=patent, scheme="ipc", code=code, subclass=code[:4], is_main=i == 0
        )
    if org is not None:
        PatentApplicantFactory(patent=patent, organization=org, sequence=0)
    if co_org is not None:
        PatentApplicantFactory(patent=patent, organization=co_org, sequence=1)
    return patent


@pytest.fixture
def landscape(regions):
    """Titles from data/cn_patents_zh; applicants are real Shandong / Jiangsu entities."""
    sdu = OrganizationFactory(name="山东大学", kind="university", region=regions["jn"])
    weichai = OrganizationFactory(
        name="潍柴动力股份有限公司", kind="enterprise", region=regions["qd"]
    )
    seu = OrganizationFactory(name="东南大学", kind="university", region=regions["nj"])
    patents = [
        make_patent(
            title="一种锂离子电池正极材料及其制备方法", ipc=["H01M4/525"], org=sdu, year=2020
        ),
        make_patent(
            title="一种动力电池热管理系统", ipc=["H01M10/613"], org=weichai, year=2022, co_org=sdu
        ),
        make_patent(
            title="一种电动汽车驱动电机冷却结构",
            ipc=["H02K9/19"],
            org=weichai,
            year=2021,
            ptype=PatentType.UTILITY_MODEL,
        ),
        make_patent(title="一种永磁同步电机转子", ipc=["H02K1/27"], org=seu, year=2021),
        make_patent(
            title="一种电动汽车充电桩",
            ipc=["B60L53/31"],
            org=seu,
            year=2019,
            status=LegalStatus.PENDING,
        ),
        make_patent(
            title="一种水电站高压输电线路驱鸟保护装置", ipc=["A01M29/00"], org=sdu, year=2021
        ),
        make_patent(
            title="一种燃料电池汽车储氢瓶阀门",
            ipc=[],
            org=weichai,
            year=2022,
            status=LegalStatus.PENDING,
        ),
    ]
    return {"sdu": sdu, "weichai": weichai, "seu": seu, "patents": patents}


@pytest.fixture
def eager_celery():
    """Run tasks in-process even when REDIS_URL points at a broker without a worker."""
    from portal.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
