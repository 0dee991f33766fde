"""IPC subclass on Chinese title + abstract, cross-validated (bench (a), second half).

Data (real, examiner main IPC): ``../shared/data/cn_patents_shandong_taian`` (5,908
Tai'an records, 140 Locarno design codes dropped) and the CN rows of
``../shared/data/cn_patents_patsnap_aviation`` (A/B publications of one application
merged). Every record is scored once, by a model fitted on the other folds
(``--folds`` folds, records assigned by a hash of the application number, so the
split does not depend on row order and A/B twins never straddle two folds).

Metrics per held-out record: P@1 (top subclass = the examiner's main subclass) and
R@3 (main subclass among the top three), averaged over all records, then per fold
(min–max shown so one lucky split cannot carry the figure).

Configurations:
* ``baseline`` — char 1–3-gram TF-IDF + linear SVM on the in-fold Tai'an/PatSnap
  records only (the issue's 0.58 baseline);
* ``all`` — the shipped trainer (``patents.tagging.model.IpcModel.fit``) on the in-fold
  records plus everything else real: the 7,798 CN titles (all their subclasses),
  the Chinese IPC subclass and main-group titles, the US patents.

Each configuration is also scored with the applicant's earlier patents mixed in
(``+applicant``: the main subclasses of the same applicant's records in the
training folds, ``IpcModel.with_priors``).

    nice -n 5 python bench/ipc_abstract_eval.py                     # both, 5 folds
    nice -n 5 python bench/ipc_abstract_eval.py --configs baseline
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from patents.tagging.model import IpcModel  # noqa: E402
from patents.tagging.training import (  # noqa: E402
    abstract_examples,
    cn_title_examples,
    ipc_title_examples,
    us_patent_examples,
)


def fold_of(key: str, folds: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % folds


def applicant_priors(records, folds, fold) -> list[dict[str, float] | None]:
    """Per held-out record, the main subclasses of the same applicant's records in the
    training folds (what the portal knows from the applicant's earlier patents)."""
    history: dict[str, Counter] = defaultdict(Counter)
    for record, f in zip(records, folds, strict=True):
        if f != fold and record.applicant:
            history[record.applicant][record.example.labels[0]] += 1
    return [
        dict(history[r.applicant]) if r.applicant in history else None
        for r, f in zip(records, folds, strict=True)
        if f == fold
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--configs", default="baseline,all", help="comma-separated: baseline, all")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--no-us", action="store_true", help="leave the (English) US titles out of 'all'"
    )
    args = parser.parse_args()
    configs = [c for c in args.configs.split(",") if c]

    records = abstract_examples()
    if not records:
        sys.exit("no abstract data under ../shared/data (cn_patents_shandong_taian)")
    extra = cn_title_examples() + ipc_title_examples()
    if not args.no_us:
        extra += us_patent_examples()
    print(f"{len(records)} title+abstract records, {len(extra)} extra examples, {args.folds} folds")
    folds = np.array([fold_of(r.key, args.folds) for r in records])
    started = time.perf_counter()
    variants = [f"{c}{suffix}" for c in configs for suffix in ("", "+applicant")]
    hits1 = {v: np.zeros(len(records)) for v in variants}
    hits3 = {v: np.zeros(len(records)) for v in variants}
    per_fold: dict[str, list[float]] = defaultdict(list)
    for fold in range(args.folds):
        train = [r.example for r, f in zip(records, folds, strict=True) if f != fold]
        test_idx = np.flatnonzero(folds == fold)
        texts = [records[i].example.text for i in test_idx]
        priors = applicant_priors(records, folds, fold)
        for config in configs:
            t0 = time.perf_counter()
            examples = train + (extra if config == "all" else [])
            model = IpcModel.fit(examples, with_keywords=False)
            fit_s = time.perf_counter() - t0
            for variant, fold_priors in ((config, None), (config + "+applicant", priors)):
                predicted = model.predict(texts, top=3, priors=fold_priors)
                for i, labels in zip(test_idx, predicted, strict=True):
                    gold = records[i].example.labels[0]
                    codes = [c for c, _s in labels]
                    hits1[variant][i] = codes[:1] == [gold]
                    hits3[variant][i] = gold in codes
                per_fold[variant].append(hits1[variant][test_idx].mean())
                print(
                    f"fold {fold} {variant}: n={len(test_idx)} "
                    f"P@1 {hits1[variant][test_idx].mean():.3f} "
                    f"R@3 {hits3[variant][test_idx].mean():.3f} (fit {fit_s:.0f} s)",
                    flush=True,
                )
    for variant in variants:
        p1 = per_fold[variant]
        print(
            f"{variant}: P@1 {hits1[variant].mean():.3f} (folds {min(p1):.3f}–{max(p1):.3f}) "
            f"R@3 {hits3[variant].mean():.3f}  n={len(records)}"
        )
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
