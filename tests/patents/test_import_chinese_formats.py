"""The Chinese exports staff hold: CNIPA's search-system table and its crawler
variant, PatSnap (智慧芽), and the Tai'an list through the generic table.

Each runs on the real file shipped in data/; the expected counts are computed
here with pandas from the same files (an independent reading of the data).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from django.core.management import call_command

from patents.importing.reference import regions_load
from patents.models import (
    InventorMention,
    Patent,
    PatentApplicant,
    PatentClassification,
    PatentLegalEvent,
    PatentType,
)
from patents.normalize import (
    cn_application_type,
    legal_event_kind,
    locarno_code,
    normalize_application_number,
)

COUNTS = re.compile(r"read (\d+), created (\d+), updated (\d+), rejected (\d+)")


def run_import(capsys, path, fmt) -> tuple[int, int, int, int]:
    call_command("import_patents", path, "--format", fmt, "--no-progress")
    out = capsys.readouterr().out
    match = COUNTS.search(out)
    assert match, out
    return tuple(int(g) for g in match.groups())


def table(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def first_applicant_regions() -> dict[str, str | None]:
    return dict(
        PatentApplicant.objects.filter(sequence=0).values_list(
            "patent__publication_number", "organization__region__code"
        )
    )


@pytest.mark.django_db
def test_cnipa_search_export_with_addresses(data_dir, capsys):
    path = data_dir / "cnipa_export_samples" / "carrotc_cnipa_pss_export_199.csv"
    df = table(path)
    assert len(df) == 199
    regions_load()
    assert run_import(capsys, path, "cnipa") == (199, 199, 0, 0)
    assert set(Patent.objects.values_list("source_dataset", flat=True)) == {"cnipa"}

    # 地址 ("226634 江苏省南通市海安县…") gives the applicant's region: every
    # address that names a province lands in that province.
    regions = first_applicant_regions()
    province_of = {"山东省": "37", "江苏省": "32", "北京市": "11", "浙江省": "33"}
    for number, address in zip(df["公开（公告）号"], df["地址"], strict=True):
        for name, prefix in province_of.items():
            if name in address:
                assert (regions[number] or "").startswith(prefix), (number, address)
    shandong = sum(1 for code in regions.values() if (code or "").startswith("37"))
    assert shandong == df["地址"].str.contains("山东省").sum() == 27
    # …down to the county where the address names one; a co-applicant first
    # seen without an address takes the one a later row gives.
    assert regions["CN202644431U"] == "371502"  # 山东省聊城市东昌府区花园北路…
    county_level = sum(1 for code in regions.values() if code and not code.endswith("00"))
    # Of 199, 143 reach a county; the others name only a city (开发区, street), lie
    # abroad, or name a district since abolished (杭州下城区). 长沙市 is never 长沙县.
    assert county_level == 143
    assert regions["CN202644344U"] == "430100"  # 湖南省长沙市经济技术开发区

    # 主权项 is the first claim; application numbers keep their check digit.
    assert Patent.objects.exclude(claims="").count() == (df["主权项"] != "").sum()
    for patent in Patent.objects.all():
        assert patent.full_clean(validate_unique=False) is None


@pytest.mark.django_db
def test_cnipa_crawler_output_keyed_by_application_number(data_dir, capsys):
    path = data_dir / "cnipa_export_samples" / "will4906_patentcrawler_cnipa_output_861.csv"
    df = table(path)
    assert (len(df), df["申请号"].nunique()) == (861, 861)
    assert run_import(capsys, path, "cnipa") == (861, 861, 0, 0)

    # No publication number in this layout: the checked application number is the key.
    keys = set(Patent.objects.values_list("publication_number", flat=True))
    assert keys == {normalize_application_number(n, country="CN") for n in df["申请号"]}
    assert Patent.objects.filter(applicant_links__organization__name="北京科技大学").count() == (
        df["申请人/专利权人"].str.contains("北京科技大学").sum()
    )
    names = df["发明人"].str.split(";").map(lambda ns: len([n for n in ns if n.strip()]))
    assert InventorMention.objects.count() == names.sum()

    # 专利申请权、专利权的转移 with 法律状态最后修改日期: a dated transfer.
    moved = df[df["法律状态"].str.contains("转移")]
    assert len(moved) == 4
    events = PatentLegalEvent.objects.filter(kind="transfer")
    assert events.count() == 4
    for _i, row in moved.iterrows():
        event = events.get(patent__application_number=normalize_application_number(row["申请号"]))
        assert event.date.strftime("%Y%m%d") == row["法律状态最后修改日期"]
    # A placeholder (无数据) in a date column is an empty date, not a rejected row.
    assert (df["法律状态最后修改日期"] == "无数据").sum() == 1


@pytest.mark.django_db
def test_patsnap_export_with_legal_events(data_dir, capsys):
    path = data_dir / "cn_patents_patsnap_aviation" / "patsnap_export_CN_only.csv.gz"
    df = table(path)
    assert len(df) == 1327
    assert run_import(capsys, path, "patsnap") == (1327, 1327, 0, 0)

    assert Patent.objects.exclude(abstract="").count() == (df["摘要(译)(简体中文)"] != "").sum()
    ipc_rows = df["IPC分类号"].map(lambda v: len({c.strip() for c in v.split("|") if c.strip()}))
    assert PatentClassification.objects.filter(scheme="ipc").count() == ipc_rows.sum()
    assignees = df["[标]当前申请(专利权)人"].map(
        lambda v: len([n for n in v.split("|") if n.strip()])
    )
    assert PatentApplicant.objects.count() == assignees.sum()

    # Changes of rights: dated from the INPADOC column where it has them,
    # otherwise from the 法律状态/事件 tags, one event per kind and occurrence.
    def expected(inpadoc_words, tag):
        dated = df["INPADOC法律状态"].map(
            lambda v: sum(1 for p in v.split("|") if any(w in p for w in inpadoc_words))
        )
        undated = df["法律状态/事件"].map(lambda v: tag in [t.strip() for t in v.split("|")])
        return int(dated.sum() + ((dated == 0) & undated).sum())

    transfers = expected(("TRANSFER OF PATENT", "ASSIGNMENT OF PATENT"), "权利转移")
    assert PatentLegalEvent.objects.filter(kind="transfer").count() == transfers > 100
    pledges = expected(("CONTRACT FOR PLEDGE OF PATENT RIGHT",), "质押")
    released = df["INPADOC法律状态"].str.count("CANCELLATION OF THE REGISTRATION").sum()
    assert PatentLegalEvent.objects.filter(kind__startswith="pledge").count() == pledges
    assert PatentLegalEvent.objects.filter(kind="pledge_released").count() == released > 0
    licences = expected(("PATENT LICENSING CONTRACT",), "许可")
    assert PatentLegalEvent.objects.filter(kind="licence").count() == licences > 0
    assert PatentLegalEvent.objects.filter(kind="transfer", date__isnull=False).count() > 100

    # Idempotent: importing again replaces, never doubles, the events.
    before = PatentLegalEvent.objects.count()
    assert run_import(capsys, path, "patsnap") == (1327, 0, 1327, 0)
    assert PatentLegalEvent.objects.count() == before


@pytest.mark.django_db
def test_taian_list_through_the_table_format(data_dir, capsys):
    path = data_dir / "cn_patents_shandong_taian" / "taian_patents.csv.gz"
    df = table(path)
    assert len(df) == 5908
    assert run_import(capsys, path, "table") == (5908, 5908, 0, 0)

    # Application numbers of every era: 8 digits before 2004 (check digit
    # computed), 12 digits since; each record is keyed by it.
    old = df[df.application_number.str.len() == 10]  # "CN" + 8 digits
    assert len(old) > 0
    sample = old.iloc[0].application_number
    assert Patent.objects.filter(application_number__startswith=sample + ".").exists()

    # Designs carry a Locarno class in the IPC column: kept apart from IPC.
    designs = df[df.ipc_is_locarno == "True"]
    assert len(designs) == (df.patent_type_from_appno == "design").sum() > 100
    locarno = PatentClassification.objects.filter(scheme="loc")
    assert locarno.count() == len(designs)
    assert not PatentClassification.objects.filter(scheme="ipc", code__contains="-").exists()
    assert Patent.objects.filter(patent_type=PatentType.DESIGN, main_ipc="").count() == len(designs)

    # The patent type follows the application number's type digit.
    types = dict(Patent.objects.values_list("application_number", "patent_type"))
    for number, kind in zip(df.application_number, df.patent_type_from_appno, strict=True):
        assert types[normalize_application_number(number, country="CN")] == kind
    assert (
        Patent.objects.filter(applicant_links__organization__name="山东农业大学").count()
        == (df.applicant == "山东农业大学").sum()
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("专利申请权、专利权的转移", "transfer"),
        ("权利转移", "transfer"),
        ("TRANSFER OF PATENT APPLICATION RIGHT", "transfer"),
        ("专利实施许可合同备案的生效、变更及注销", "licence"),
        ("ENTRY INTO FORCE OF RECORDATION OF PATENT LICENSING CONTRACT", "licence"),
        ("专利权质押合同登记的生效、变更及注销", "pledge"),
        ("专利权质押合同登记的注销", "pledge_released"),
        (
            "CANCELLATION OF THE REGISTRATION OF THE CONTRACT FOR PLEDGE OF PATENT RIGHT",
            "pledge_released",
        ),
        ("+PRESERVATION OF PATENT RIGHT", "preservation"),
        ("+DISCHARGE OF PRESERVATION OF PATENT", "preservation_released"),
        ("授权", None),
        ("实质审查的生效", None),
        ("", None),
    ],
)
def test_legal_event_vocabulary(text, kind):
    assert legal_event_kind(text) == kind


def test_locarno_codes_are_not_ipc():
    assert locarno_code("02-02") == "02-02"
    assert locarno_code("9-1") == "09-01"
    assert locarno_code("09-01-B0367") == "09-01"
    assert locarno_code("G06F16/00") is None
    assert locarno_code("2021-01-01") is None


def test_application_number_eras():
    # Before 2004: 8 digits, check digit computed; since: 12 digits.
    assert normalize_application_number("CN85102475", country="CN").startswith("CN85102475.")
    assert normalize_application_number("CN201020623514.X", country="CN") == "CN201020623514.X"
    with pytest.raises(ValueError):
        normalize_application_number("CN201020623514.1", country="CN")
    assert cn_application_type("CN201020623514.X") == PatentType.UTILITY_MODEL
    assert cn_application_type("CN86207465") == PatentType.UTILITY_MODEL
    assert cn_application_type("CN201710106452.1") == PatentType.INVENTION
    assert cn_application_type("CN201330012345") == PatentType.DESIGN


@pytest.mark.django_db
def test_address_levels_are_read_in_order():
    from patents.organizations import resolve_region_code

    regions_load()
    # The 吉林 of 吉林省 is not the city 吉林市: each level is read after the one before.
    assert resolve_region_code(name="吉林大学", address="130012 吉林省长春市前进大街2699号") == (
        "220100"
    )
    assert resolve_region_code(
        name="刘生柱", address="133700 吉林省延边朝鲜族自治州敦化市阳光城三期4号楼"
    ).startswith("2224")
    assert resolve_region_code(name="x", address="252000 山东省聊城市东昌府区花园北路46号") == (
        "371502"
    )


@pytest.mark.django_db
def test_region_coverage_counts_and_reasons(data_dir, capsys):
    from patents.selectors import region_coverage

    regions_load()
    run_import(
        capsys, data_dir / "cnipa_export_samples" / "carrotc_cnipa_pss_export_199.csv", "cnipa"
    )
    run_import(
        capsys,
        data_dir / "cnipa_export_samples" / "will4906_patentcrawler_cnipa_output_861.csv",
        "cnipa",
    )
    coverage = region_coverage()
    links = PatentApplicant.objects.filter(sequence=0)
    assert coverage.total == Patent.objects.count() == 199 + 861
    assert coverage.with_region == links.filter(organization__region__isnull=False).count()
    assert coverage.no_applicant == Patent.objects.filter(applicant_links__isnull=True).count()
    assert (
        coverage.with_region
        + coverage.no_applicant
        + coverage.abroad
        + (coverage.individual_without_address + coverage.organization_unplaced)
        == coverage.total
    )
    # The crawler's 北京科技大学 rows are placed by the MoE university list.
    assert coverage.with_region >= df_count_beijing(data_dir)
    call_command("region_coverage")
    out = capsys.readouterr().out
    assert f"patents: {coverage.total}" in out and "with a region:" in out


def df_count_beijing(data_dir) -> int:
    crawler = table(
        data_dir / "cnipa_export_samples" / "will4906_patentcrawler_cnipa_output_861.csv"
    )
    return int(crawler["申请人/专利权人"].str.startswith("北京科技大学").sum())
