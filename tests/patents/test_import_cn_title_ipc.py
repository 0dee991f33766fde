import pytest
from django.core.management import call_command

from patents.models import Patent, PatentClassification


@pytest.mark.django_db
def test_cn_titles_import_exact_counts_and_is_idempotent(data_dir, tmp_path, capsys):
    path = data_dir / "cn_patents_zh" / "cn_patent_titles_ipc_subclasses.csv"
    call_command("import_patents", path, "--format", "cn-title-ipc", "--no-progress")
    assert "read 7798, created 7798, updated 0, rejected 0" in capsys.readouterr().out
    first = Patent.objects.get(publication_number="CN114081026A")
    assert first.title == "一种水电站高压输电线路驱鸟保护装置"
    assert first.ipc_codes == ["A01M", "G06F", "H02G"]
    assert first.source_line == 2
    assert first.source_file == path.name
    assert PatentClassification.objects.filter(patent=first, scheme="ipc").count() == 3

    call_command("import_patents", path, "--format", "cn-title-ipc", "--no-progress")
    assert "read 7798, created 0, updated 7798, rejected 0" in capsys.readouterr().out
    assert Patent.objects.count() == 7798
    assert PatentClassification.objects.filter(patent=first).count() == 3
