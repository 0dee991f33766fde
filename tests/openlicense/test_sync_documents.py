import datetime as dt
import io
import json
import zipfile

import pytest

from openlicense.documents import open_licence_filing_package, open_licence_notice_pdf
from openlicense.models import Declaration
from openlicense.services import open_licence_conclude
from openlicense.services.sync import master_export, master_import
from openlicense.tasks import master_sync_from_drop
from tests.factories import open_licence_paid
from tests.trading.factories import granted_patent, university

pytestmark = pytest.mark.django_db

HEADER = (
    "master_id,publication_number,application_number,title,patentees,fee_lump_sum,"
    "royalty_rate,royalty_base,payment_method,term_years,declared_on,announced_on,status,withdrawn_on\n"
)


def _csv(patent, *, fee="30000", status="announced", master_id="SD-2026-0001"):
    return HEADER + (
        f"{master_id},{patent.publication_number},,{patent.title},山东大学,{fee},,,one_off,5,"
        f"2026-02-01,2026-02-10,{status},\n"
    )


def test_import_is_idempotent_and_reports_changes_and_withdrawals():
    patent = granted_patent(holder=university(name="山东大学"))
    first = master_import(content=_csv(patent), fmt="csv", source="shandong")
    assert (first.created, first.changed, first.unchanged) == (1, 0, 0)
    again = master_import(content=_csv(patent), fmt="csv", source="shandong")
    assert (again.created, again.changed, again.unchanged) == (0, 0, 1)
    assert Declaration.objects.count() == 1
    changed = master_import(content=_csv(patent, fee="35000"), fmt="csv", source="shandong")
    assert changed.changed == 1
    gone = master_import(content=_csv(patent, status="withdrawn"), fmt="csv", source="shandong")
    assert gone.withdrawn == 1
    declaration = Declaration.objects.get()
    assert declaration.status == Declaration.Status.WITHDRAWN
    # Issue 15: the import lists the patentees but invents no consent.
    consent = declaration.consents.get()
    assert not consent.consented and not consent.document_sha256


def test_bad_rows_reported_with_line_good_rows_kept_unknown_patent_is_conflict():
    patent = granted_patent()
    content = (
        _csv(patent)
        + "SD-2,CN999999999A,,,x,100,,,one_off,3,2026-01-01,,announced,\n"
        + "SD-3,,,,x,abc,,,one_off,3,2026-01-01,,announced,\n"
        + "SD-4,CN114000001A,,,x,100,,,one_off,3,2026-01-01,,revoked,\n"
    )
    run = master_import(content=content, fmt="csv", source="shandong")
    assert run.created == 1
    assert run.conflicts[0]["number"] == "CN999999999A"
    lines = {e["line"]: e["reason"] for e in run.errors}
    assert set(lines) == {4, 5}
    assert "publication_number or application_number" in lines[4]
    assert "announced or withdrawn" in lines[5]


def test_local_declaration_with_other_terms_is_a_conflict(announced, patent):
    run = master_import(content=_csv(patent, fee="99999"), fmt="csv", source="shandong")
    assert run.created == 0 and "declared locally" in run.conflicts[0]["reason"]
    assert Declaration.objects.get().fee_lump_sum == 20000


def test_export_round_trips_as_json(announced, patent):
    exported = json.loads(master_export(fmt="json"))
    assert exported["items"][0]["publication_number"] == patent.publication_number
    # Re-importing our own export matches the local declaration: no duplicate.
    run = master_import(content=json.dumps(exported), fmt="json", source="self")
    assert run.created == 0 and run.unchanged == 1
    assert Declaration.objects.count() == 1


def test_scheduled_sync_reads_the_drop_file(settings, tmp_path):
    patent = granted_patent()
    drop = tmp_path / "master.csv"
    drop.write_text(_csv(patent), encoding="utf-8")
    settings.OPENLICENSE_MASTER_SYNC_FILE = str(drop)
    # Called in-process: the beat schedule enqueues it; a worker runs the same body.
    assert master_sync_from_drop() is not None
    assert Declaration.objects.filter(source="master").count() == 1


def test_notice_pdf_and_filing_package(announced, licensee):
    licence = open_licence_conclude(
        declaration=announced, licensee=licensee, notice_sent_on=dt.date(2026, 4, 1)
    )
    open_licence_paid(licence=licence, amount=20000, paid_on=dt.date(2026, 4, 3))
    assert open_licence_notice_pdf(licence=licence).startswith(b"%PDF")
    archive = zipfile.ZipFile(io.BytesIO(open_licence_filing_package(licence=licence)))
    assert sorted(archive.namelist()) == ["filing-form.pdf", "filing.json", "notice.pdf"]
    data = json.loads(archive.read("filing.json"))
    assert data["licensee"] == "山东黄河河务局供水局" and data["filing_due_on"] == "2026-07-03"


def test_open_licence_items_in_feed(announced):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from tests.factories import UserFactory

    client = APIClient()
    token = Token.objects.create(user=UserFactory(roles=["api_partner"]))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    items = client.get("/api/v1/openlicense/feed/items/").json()["results"]
    assert items[0]["publication_number"] == announced.patent.publication_number
    assert items[0]["fee_lump_sum"] == "20000.00" and items[0]["patentees"] == ["山东大学"]
