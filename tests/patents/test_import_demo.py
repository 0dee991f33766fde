"""``manage.py load_demo``: reference data, demo patents, the demo staff account."""

from __future__ import annotations

import re
import sys
import types

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from patents.models import Organization, Patent, Region
from portal.management.commands import load_demo
from portal.roles import Role

PASSWORD = re.compile(r"username 'demo', password '([^']+)'")


@pytest.fixture
def small_demo(monkeypatch):
    # One real file keeps the test quick; the full set is timed in `make demo`.
    monkeypatch.setattr(
        load_demo,
        "DEMO_IMPORTS",
        (("multi_jurisdiction_lens_covid/lens_covid_patents.csv.gz", "lens"),),
    )
    # The 77k-row IPC scheme is covered by test_reference; regions suffice here.
    real_load = load_demo.reference_data_load
    monkeypatch.setattr(load_demo, "reference_data_load", lambda: real_load(only="regions"))


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_resets_the_password(small_demo, capsys, monkeypatch):
    calls = []
    fake = types.ModuleType("matching.demo")
    fake.load_demo = lambda *, stdout: calls.append(stdout)
    monkeypatch.setitem(sys.modules, "matching.demo", fake)
    monkeypatch.setattr(
        load_demo.importlib.util, "find_spec", lambda name: name in sys.modules or None
    )

    call_command("load_demo")
    out = capsys.readouterr().out
    first_password = PASSWORD.search(out).group(1)
    assert "read 3310, created 3309, updated 1, rejected 0" in out
    assert Region.objects.filter(code="370100").exists()
    user = get_user_model().objects.get(username="demo")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=Role.STAFF.value).exists()
    assert user.check_password(first_password)
    assert user.has_perm("patents.add_importjob")
    assert len(calls) == 1  # the optional app hook ran with the command's stdout

    call_command("load_demo")
    out = capsys.readouterr().out
    second_password = PASSWORD.search(out).group(1)
    assert "read 3310, created 0, updated 3310, rejected 0" in out
    assert second_password != first_password
    user = get_user_model().objects.get(username="demo")
    assert user.check_password(second_password) and not user.check_password(first_password)
    assert get_user_model().objects.filter(username="demo").count() == 1
    assert Patent.objects.count() == 3309


@pytest.mark.django_db
def test_patents_demo_adds_universities_with_regions(capsys):
    from patents.demo import load_demo as patents_demo
    from patents.importing.reference import regions_load

    regions_load()
    patents_demo(stdout=sys.stdout)
    patents_demo(stdout=sys.stdout)
    sdu = Organization.objects.get(name="山东大学")
    assert sdu.kind == Organization.Kind.UNIVERSITY
    assert sdu.region_id.startswith("3701")
    assert Organization.objects.filter(region__code__startswith="37").count() >= 143
