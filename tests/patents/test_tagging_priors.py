"""The IPC model's applicant prior and the title + abstract training rows (issue 20)."""

from __future__ import annotations

import pytest

from patents.tagging.model import IpcModel
from patents.tagging.training import abstract_examples, cn_title_examples


@pytest.fixture(scope="module")
def small_model():
    # 600 real CN titles: enough for a model that knows a few dozen subclasses.
    return IpcModel.fit(cn_title_examples()[:600], with_keywords=False)


def test_a_prior_moves_an_ambiguous_text_to_the_applicants_classes(small_model):
    text = "一种装置"  # says nothing about its technology
    plain = small_model.predict([text], top=3)[0]
    wanted = next(c for c in small_model.classes if c not in [p for p, _s in plain])
    with_prior = small_model.predict([text], top=3, priors=[{wanted: 5}])[0]
    assert with_prior[0][0] == wanted
    # No prior (or one of unknown classes only) leaves the prediction as it was.
    assert small_model.predict([text], top=3, priors=[None])[0] == plain
    assert small_model.predict([text], top=3, priors=[{"Z99Z": 3}])[0] == plain


def test_abstract_examples_read_the_shared_data():
    records = abstract_examples()
    if not records:
        pytest.skip("../shared/data is absent")
    assert len(records) > 6000
    assert len({r.key for r in records}) == len(records)  # A/B twins merged
    assert all(len(r.example.labels) == 1 and len(r.example.labels[0]) == 4 for r in records)
    assert all(r.example.labels[0][0] in "ABCDEFGH" for r in records)  # no Locarno codes
    assert sum(1 for r in records if r.applicant) > 0.95 * len(records)
