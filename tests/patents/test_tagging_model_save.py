"""Saving the IPC model is atomic: an interrupted save leaves no truncated model."""

from __future__ import annotations

import joblib
import pytest

from patents.tagging import model as model_module


def test_interrupted_save_leaves_no_model_file(tmp_path, monkeypatch):
    target = tmp_path / "models" / "ipc.joblib"

    def dump_then_die(obj, filename, **kwargs):
        with open(filename, "wb") as handle:
            handle.write(b"half a model")
        raise KeyboardInterrupt  # the process stopped mid-write

    monkeypatch.setattr(model_module.joblib, "dump", dump_then_die)
    with pytest.raises(KeyboardInterrupt):
        model_module.save_model({"weights": [1, 2, 3]}, target)
    assert list(target.parent.iterdir()) == []


def test_save_writes_the_model_under_its_name(tmp_path):
    target = tmp_path / "ipc.joblib"
    assert model_module.save_model({"weights": [1, 2, 3]}, target) == target
    assert joblib.load(target) == {"weights": [1, 2, 3]}
    assert [p.name for p in tmp_path.iterdir()] == ["ipc.joblib"]
