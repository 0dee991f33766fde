"""The standalone CSV command: mention_id → cluster_id, bad rows reported by line."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command


def test_clusters_csv_with_bad_rows_reported(tmp_path, data_dir):
    with open(
        data_dir / "talent" / "nvidia_inventor_sample.csv", newline="", encoding="utf-8"
    ) as fh:
        rows = list(csv.DictReader(fh))[:200]
    src = tmp_path / "mentions.csv"
    with open(src, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(
            fh,
            fieldnames=[
                "mention_id",
                "name_first",
                "name_last",
                "patent_number",
                "assignee",
                "ipc",
                "year",
            ],
        )
        writer.writeheader()
        for r in rows:
            writer.writerow({k: r[k] for k in writer.fieldnames})
        writer.writerow({"mention_id": "", "name_first": "Wei", "name_last": "Wang"})
        writer.writerow({"mention_id": rows[0]["mention_id"], "name_first": "X", "name_last": "Y"})
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "disambiguate_inventors",
        input=str(src),
        output=str(tmp_path / "c.csv"),
        stdout=out,
        stderr=err,
    )
    with open(tmp_path / "c.csv", newline="", encoding="utf-8") as fh:
        result = list(csv.DictReader(fh))
    assert [r["mention_id"] for r in result] == [r["mention_id"] for r in rows]
    assert set(result[0]) == {"mention_id", "cluster_id"}
    assert f"line {len(rows) + 2}: mention_id is empty" in err.getvalue()
    assert f"line {len(rows) + 3}: duplicate mention_id" in err.getvalue()
    # Ming-Yu Liu's sample patents are one person.
    liu = {r["mention_id"] for r in rows if (r["name_first"], r["name_last"]) == ("Ming-Yu", "Liu")}
    assert len(liu) >= 2
    assert len({r["cluster_id"] for r in result if r["mention_id"] in liu}) == 1


def test_missing_columns_is_a_clear_error(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("id,name\n1,王伟\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        call_command("disambiguate_inventors", input=str(src), output=str(tmp_path / "o.csv"))
