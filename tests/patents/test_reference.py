"""Reference data (regions, IPC) and region derivation of Chinese applicants."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from django.core.management import call_command

from patents.models import IPCCode, Organization, Region
from patents.organizations import resolve_region_code


@pytest.fixture
def regions(db):
    from patents.importing.reference import regions_load

    regions_load()


@pytest.fixture
def shandong_cities(data_dir) -> dict[str, str]:
    """name → six-digit code of Shandong's 16 prefecture-level cities, from the data."""
    cities = pd.read_csv(data_dir / "cn_admin_divisions" / "cities.csv", dtype=str)
    shandong = cities[cities.provinceCode == "37"]
    return {row.name: row.code + "00" for row in shandong.itertuples()}


@pytest.mark.django_db
def test_load_reference_counts_and_idempotency(data_dir, capsys):
    call_command("load_reference")
    out = capsys.readouterr().out
    areas = pd.read_csv(data_dir / "cn_admin_divisions" / "areas.csv", dtype=str)
    cities = pd.read_csv(data_dir / "cn_admin_divisions" / "cities.csv", dtype=str)
    provinces = pd.read_csv(data_dir / "cn_admin_divisions" / "provinces.csv", dtype=str)
    assert (len(provinces), len(cities), len(areas)) == (31, 342, 2978)
    # Dongguan, Zhongshan and Danzhou have no counties and repeat as their own
    # area; Hong Kong, Macao and Taiwan are added at province level.
    repeated = (areas.code == areas.cityCode + "00").sum()
    assert repeated == 3
    expected = 31 + 3 + 342 + 2978 - repeated
    assert Region.objects.count() == expected
    assert Region.objects.get(code="441900").level == Region.Level.CITY
    scheme = pd.read_csv(data_dir / "ipc_scheme_zh" / "ipc_2026_01_zh.csv.gz", dtype=str)
    assert len(scheme) == 77249
    assert IPCCode.objects.count() >= len(scheme)
    assert f"ipc: {IPCCode.objects.count()} rows" in out

    call_command("load_reference")
    assert Region.objects.count() == expected
    assert IPCCode.objects.count() >= len(scheme)

    jinan = Region.objects.get(code="370100")
    assert (jinan.name, jinan.short_name, jinan.level, jinan.parent_id) == (
        "济南市",
        "济南",
        Region.Level.CITY,
        "370000",
    )
    assert Region.objects.get(code="370102").parent_id == "370100"

    g06f = IPCCode.objects.get(code="G06F")
    assert g06f.level == IPCCode.Level.SUBCLASS and g06f.parent_id == "G06"
    assert g06f.title_zh.startswith("电数字数据处理")
    assert g06f.title_en.startswith("ELECTRIC DIGITAL DATA PROCESSING")
    assert IPCCode.objects.get(code="G06F16/00").level == IPCCode.Level.MAIN_GROUP
    # PDF artefacts: no space left between two Chinese characters.
    assert "用于播种" in IPCCode.objects.get(code="A01B").title_zh
    # Subclasses missing from the Chinese edition keep their English title.
    assert IPCCode.objects.get(code="C01B").title_en


def test_shandong_has_sixteen_cities(shandong_cities):
    assert len(shandong_cities) == 16


@pytest.mark.django_db
def test_every_shandong_city_resolves_from_an_address(regions, shandong_cities):
    for name, code in shandong_cities.items():
        short = name.removesuffix("市")
        for address in (f"山东省{name}", f"{name}高新区", f"山东{short}"):
            resolved = resolve_region_code(name="", address=address, country="CN")
            assert resolved and resolved.startswith(code[:4]), (address, resolved)
    # A county name narrows the city down to the county.
    assert resolve_region_code(name="", address="山东省淄博市张店区", country="CN") == "370303"
    # Laiwu merged into Jinan in 2019: its old address lands in Jinan's 莱芜区.
    assert resolve_region_code(name="", address="山东省莱芜市", country="CN") == "370116"
    # Beijing's 朝阳区 is not Liaoning's 朝阳市.
    assert resolve_region_code(name="", address="北京市朝阳区", country="CN") == "110105"


@pytest.mark.django_db
def test_every_shandong_city_resolves_from_institution_names(regions, shandong_cities, data_dir):
    """Each city has an institution on the Ministry of Education list; its name alone
    (e.g. 泰山学院, which names no city) resolves to that city."""
    path = data_dir / "cn_universities" / "moe_higher_education_institutions_2017.csv"
    with path.open(encoding="utf-8") as handle:
        shandong = [r for r in csv.DictReader(handle) if r["moe_code"][2:4] == "37"]
    resolved_cities = set()
    for row in shandong:
        code = resolve_region_code(name=row["name"], address="", country="CN")
        assert code and code.startswith("37"), row["name"]
        if row["location_city"] in shandong_cities:
            assert code[:4] == shandong_cities[row["location_city"]][:4], row["name"]
            resolved_cities.add(row["location_city"])
    assert resolved_cities == set(shandong_cities)
    assert resolve_region_code(name="泰山学院", address="", country="CN").startswith("3709")
    assert resolve_region_code(name="SHANDONG UNIVERSITY", address="", country="US") is None


@pytest.mark.django_db
def test_import_derives_applicant_region(regions, tmp_path, data_dir):
    from patents.services import patent_import_file

    path = tmp_path / "export.csv"
    path.write_text(
        "公开（公告）号,标题,申请人,申请人地址\n"
        "CN117151122A,一种基于自然语言处理的银行客服会话问答处理方法及系统,"
        "山东大学；青岛大学,山东省济南市历城区山大南路27号\n",
        encoding="utf-8",
    )
    outcome = patent_import_file(path=path, format="table", error_report_path=tmp_path / "e.csv")
    assert (outcome.created, outcome.rejected) == (1, 0)
    shandong_university = Organization.objects.get(name="山东大学")
    assert shandong_university.region_id == "370112"  # 历城区, from the address
    assert shandong_university.kind == Organization.Kind.UNIVERSITY
    assert Organization.objects.get(name="青岛大学").region_id.startswith("3702")  # from the name
