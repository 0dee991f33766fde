"""Class agreement: the need's predicted classes against a candidate's main class."""

from __future__ import annotations

from matching.matcher.scoring import DEFAULT_WEIGHTS, class_agreement

GROUPS = [("G06T15", 0.6), ("G06F9", 0.3), ("G06T1", 0.1)]


def test_group_predictions_score_the_main_group_relative_to_the_best():
    assert class_agreement(main_code="G06T15/005", groups=GROUPS) == 1.0
    assert class_agreement(main_code="G06F9/38", groups=GROUPS) == 0.3 / 0.6
    assert class_agreement(main_code="H04N19/10", groups=GROUPS) == 0.0
    assert class_agreement(main_code="", groups=GROUPS) == 0.0


def test_subclass_level_patents_compare_subclasses():
    # A CN record with only "G06T" as its main class: G06T groups add up (0.7 of 0.7).
    assert class_agreement(main_code="G06T", groups=GROUPS) == 1.0
    assert abs(class_agreement(main_code="G06F", groups=GROUPS) - 0.3 / 0.7) < 1e-9


def test_without_group_predictions_the_ipc_subclasses_decide():
    subclasses = [("H02G", 0.5), ("A01M", 0.3)]
    both = class_agreement(main_code="A01M", codes=["A01M", "H02G"], subclasses=subclasses)
    assert abs(both - 0.8) < 1e-9
    assert class_agreement(main_code="G06F", codes=["G06F"], subclasses=subclasses) == 0.0
    assert DEFAULT_WEIGHTS["ipc"] > 0
