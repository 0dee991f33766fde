"""IPC subclass prediction against examiner codes, on CN title folds the model did not see.

Data: data/cn_patents_zh/cn_patent_titles_ipc_subclasses.csv (7,798 real CN
titles, every examiner-assigned subclass, 4 folds fixed upstream). For each
fold the production model (``patents.tagging.model.IpcModel``) is fitted on
the other three folds plus the US patents and the IPC subclass titles, and
scored on the held-out fold:

* P@1 — the top predicted subclass is one of the examiner's subclasses;
* R@3 — share of the examiner's subclasses found in the top three.

    python bench/ipc_eval.py                 # production configuration
    python bench/ipc_eval.py --cn-only       # CN titles only (the baseline setting)
    python bench/ipc_eval.py --knn           # + e5 kNN vote (needs data/ipc_training_vectors)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from patents.tagging.model import IpcModel  # noqa: E402
from patents.tagging.training import (  # noqa: E402
    cn_title_examples,
    ipc_title_examples,
    us_patent_examples,
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cn-only", action="store_true")
    parser.add_argument("--knn", action="store_true")
    parser.add_argument("--folds", default="1,2,3,4")
    args = parser.parse_args()

    cn = cn_title_examples()
    extra = [] if args.cn_only else us_patent_examples() + ipc_title_examples()
    vectors = None
    if args.knn:
        from patents.tagging.vectors import training_vectors

        vectors, _examples = training_vectors()
        if vectors is None:
            sys.exit("no training vectors: run manage.py build_ipc_model --recompute-vectors")
    results = []
    for fold in (int(f) for f in args.folds.split(",")):
        started = time.monotonic()
        train = [e for e in cn if e.fold != fold]
        test = [e for e in cn if e.fold == fold]
        train_idx = [i for i, e in enumerate(cn) if e.fold != fold]
        test_idx = [i for i, e in enumerate(cn) if e.fold == fold]
        model = IpcModel.fit(
            train + extra,
            vectors=None if vectors is None else vectors[train_idx],
            vector_examples=train if vectors is not None else (),
        )
        predicted = model.predict(
            [e.text for e in test],
            top=3,
            vectors=None if vectors is None else vectors[test_idx].astype(np.float32),
        )
        p1 = np.mean([labels[0][0] in e.labels for labels, e in zip(predicted, test, strict=True)])
        r3 = np.mean(
            [
                len({c for c, _s in labels} & set(e.labels)) / len(set(e.labels))
                for labels, e in zip(predicted, test, strict=True)
            ]
        )
        results.append((p1, r3))
        elapsed = time.monotonic() - started
        print(f"fold {fold}: P@1 {p1:.4f}  R@3 {r3:.4f}  ({len(test)} titles, {elapsed:.0f} s)")
    mean = np.mean(results, axis=0)
    print(f"mean over {len(results)} folds: P@1 {mean[0]:.4f}  R@3 {mean[1]:.4f}")


if __name__ == "__main__":
    main()
