"""Each import format on the real files shipped in data/, with exact counts.

Expected counts are computed here with pandas from the same files, so the
tests check the importer against an independent reading of the data.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from django.core.management import call_command

from patents.models import InventorMention, Organization, Patent, PatentClassification

COUNTS = re.compile(r"read (\d+), created (\d+), updated (\d+), rejected (\d+)")


def run_import(capsys, path, fmt, *extra) -> tuple[int, int, int, int]:
    call_command("import_patents", path, "--format", fmt, "--no-progress", *extra)
    out = capsys.readouterr().out
    match = COUNTS.search(out)
    assert match, out
    return tuple(int(g) for g in match.groups())


def table(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.django_db
def test_lens_export(data_dir, capsys):
    path = data_dir / "multi_jurisdiction_lens_covid" / "lens_covid_patents.csv.gz"
    df = table(path)
    # WIPO corrections carry their republication date; without it they are the
    # record they correct (one such pair in this file).
    keys = df.publication_key.str.replace(r"_\d{8}$", "", regex=True)
    unique = keys.nunique()
    assert (len(df), unique) == (3310, 3309)

    assert run_import(capsys, path, "lens") == (len(df), unique, len(df) - unique, 0)
    assert Patent.objects.count() == unique
    assert Patent.objects.filter(country="CN").count() == (df.jurisdiction == "CN").sum()

    wo = Patent.objects.get(publication_number="WO2008155316A1")
    assert wo.title == "Immunogenic Compositions Associated With Sars Corona Virus Spike Protein"
    assert wo.application_number == "PCT/EP2008/057583"
    assert wo.main_cpc == "C07K16/10"
    assert wo.ipc_codes == ["A61K39/215", "A61P31/14", "C07K14/165"]
    assert (wo.family_size, wo.cited_by_count) == (8, 3)
    assert wo.inventor_mentions.count() == 7
    # Inventors who applied in person are individuals, the institutes are not.
    kinds = dict(wo.applicant_links.values_list("raw_name", "organization__kind"))
    assert kinds["BARAS BENOIT"] == Organization.Kind.INDIVIDUAL
    assert kinds["PASTEUR INSTITUT"] == Organization.Kind.INSTITUTE

    cn = Patent.objects.get(publication_number="CN101424602A")
    # Lens gives CN application numbers without their check digit; it is computed.
    assert cn.application_number == "CN200810171280.7"
    assert cn.full_clean(validate_unique=False) is None
    # Singapore serials end in a check letter.
    assert Patent.objects.filter(publication_number="SG11201502189UA").exists()
    # CPC section Y codes are kept.
    assert PatentClassification.objects.filter(scheme="cpc", code__startswith="Y02A").exists()


@pytest.mark.django_db
def test_patentsview_folder(data_dir, capsys):
    folder = data_dir / "us_patents_patentsview_nvidia"
    patents = table(folder / "nvidia_patent.csv.gz")
    inventors = table(folder / "nvidia_inventor.csv.gz")
    cpc = table(folder / "nvidia_cpc.csv.gz")
    assert (len(patents), len(inventors), len(cpc)) == (5169, 16402, 29580)

    assert run_import(capsys, folder, "patentsview") == (5169, 5169, 0, 0)
    assert InventorMention.objects.count() == len(inventors)
    assert PatentClassification.objects.filter(scheme="cpc").count() == len(
        cpc.drop_duplicates(["patent_id", "cpc_group"])
    )
    assert (
        Patent.objects.filter(legal_status="withdrawn").count() == (patents.withdrawn == "1").sum()
    )
    assert (
        Patent.objects.filter(patent_type="design").count()
        == (patents.patent_type == "design").sum()
    )

    first = Patent.objects.get(publication_number="US10001996B2")
    assert first.title == "Selective poisoning of data during runahead"
    assert first.abstract.startswith("Embodiments related to selecting a runahead poison policy")
    assert first.claim_count == 8
    assert first.main_cpc == cpc[cpc.patent_id == "10001996"].cpc_group.iloc[0]
    # PatentsView's own inventor ids are kept for evaluating disambiguation.
    expected = inventors[inventors.patent_id == "8775777"].sort_values("inventor_sequence")
    mentions = Patent.objects.get(publication_number__startswith="US8775777").inventor_mentions
    assert list(mentions.values_list("source_person_id", flat=True)) == list(expected.inventor_id)
    assert Organization.objects.get(normalized_name="NVIDIACORP").kind == "enterprise"


@pytest.mark.django_db
def test_google_patents_search_results(data_dir, capsys):
    path = (
        data_dir
        / "us_patents_koehrsen_abstracts"
        / ("google_patents_search_results_with_abstracts.csv.gz")
    )
    df = table(path)
    unique = df.publication_id.nunique()
    assert (len(df), unique) == (7542, 6723)
    # A publication found by several queries is one patent, updated by later rows.
    assert run_import(capsys, path, "google-patents") == (len(df), unique, len(df) - unique, 0)
    assert Patent.objects.count() == unique
    patent = Patent.objects.get(publication_number="US4999833A")
    assert patent.title == "Network connectivity control by artificial intelligence"
    assert str(patent.application_date) == "1988-12-20"
    assert patent.legal_status == "lapsed"  # filed 1988: expired by 2008 at the latest
    assert patent.inventor_mentions.get().raw_name == "William C. Lee"
    # "Robert W. Thompson, Jr." is one inventor, not two.
    assert InventorMention.objects.filter(raw_name="Robert W. Thompson, Jr.").exists()
    assert (
        Patent.objects.filter(country="CN").count()
        == df[df.publication_id.str.startswith("CN")].publication_id.nunique()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, rows", [("neural_network_patent_query", 3522), ("baseball_patent_query", 2664)]
)
def test_google_patents_query_csvs(data_dir, capsys, name, rows):
    path = data_dir / "us_patents_koehrsen_abstracts" / f"{name}.csv.gz"
    df = table(path)
    assert len(df) == df.patent_number.nunique() == rows
    assert run_import(capsys, path, "google-patents") == (rows, rows, 0, 0)
    # Grants before 2001 were all kind A (designs S); the second layer of quoting is gone.
    if name == "baseball_patent_query":
        patent = Patent.objects.get(publication_number="US5269177A")
        assert patent.title.startswith(
            'Apparatus and method for determining the center of percussion ("sweet spot")'
        )
        assert Patent.objects.filter(patent_type="design", kind_code__startswith="S").exists()
    else:
        assert Patent.objects.get(publication_number="US5535303A").title == (
            '"Barometer" neuron for a neural network'
        )


@pytest.mark.django_db
def test_chinese_header_workbook(data_dir, capsys):
    path = data_dir / "cn_patents_zh" / "cn_g06f_patents_chinese_headers.xlsx"
    source = table(data_dir / "cn_patents_zh" / "cn_g06f_patents_with_abstracts.csv")
    untitled = (source.title_zh.str.strip() == "").sum()
    assert (len(source), untitled) == (57, 23)
    # The source has 23 records without a title: each is reported, the rest land.
    assert run_import(capsys, path, "table") == (57, 57 - untitled, 0, untitled)
    patent = Patent.objects.get(publication_number="CN117151122A")
    assert patent.title == "一种基于自然语言处理的银行客服会话问答处理方法及系统"
    assert patent.abstract.startswith("本发明涉及人工智能技术领域")
    assert patent.cpc_codes == source.set_index("publication_number").loc[
        "CN117151122A", "cpc_labels"
    ].split("|")
    assert patent.legal_status == "pending"


@pytest.mark.django_db
def test_command_shows_a_progress_bar(data_dir, capsys):
    path = data_dir / "multi_jurisdiction_lens_covid" / "lens_covid_patents.csv.gz"
    call_command("import_patents", path, "--format", "lens")
    captured = capsys.readouterr()
    # tqdm draws on stderr and ends at the full (compressed) file size.
    assert "lens_covid_patents.csv.gz: 100%" in captured.err
    assert "read 3310, created 3309, updated 1, rejected 0" in captured.out
