"""``make demo`` starts serving once the patents are in: the slow app demos run in a
detached ``load_demo --apps-only`` process instead of before the server."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from portal.management.commands import load_demo as command


@pytest.mark.django_db
def test_app_demos_run_in_a_detached_process(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    spawned: list[dict] = []
    inline: list[bool] = []

    class FakePopen:
        def __init__(self, args, **kwargs):
            spawned.append({"args": args, **kwargs})

    monkeypatch.setattr(command, "reference_data_load", lambda: {"regions": 3351})
    monkeypatch.setattr(command.subprocess, "Popen", FakePopen)
    monkeypatch.setattr(command.Command, "_app_demos", lambda self: inline.append(True))
    out = io.StringIO()
    call_command(
        "load_demo",
        "--skip-patents",
        "--apps-in-background",
        "--url",
        "http://127.0.0.1:8000/",
        stdout=out,
    )
    assert inline == []
    [process] = spawned
    assert process["args"][-2:] == ["load_demo", "--apps-only"]
    assert process["start_new_session"] is True
    log = tmp_path / "log" / "demo-apps.log"
    assert log.exists()
    text = out.getvalue()
    assert "reference data: 3,351 regions" in text
    assert str(log) in text
    assert "Open http://127.0.0.1:8000/" in text
    assert "username 'demo', password '" in text


@pytest.mark.django_db
def test_apps_only_runs_the_app_demos_and_nothing_else(monkeypatch):
    inline: list[bool] = []
    monkeypatch.setattr(
        command, "reference_data_load", lambda: pytest.fail("reference data reloaded")
    )
    monkeypatch.setattr(command.Command, "_app_demos", lambda self: inline.append(True))
    out = io.StringIO()
    call_command("load_demo", "--apps-only", stdout=out)
    assert inline == [True]
    assert "password" not in out.getvalue()
