"""Counted error analysis of talent.disambiguation on the named inventor benchmarks.

Usage: python bench/disambiguation_errors.py [--data DIR] [--benchmarks harvard,patentsview2021]
       [--examples N]

Every false-negative pair (same labelled person, different predicted clusters) and
false-positive pair (different labelled people, same predicted cluster) is sorted into
one kind by comparing the two names (see ``pair_kind``), then counted. For missed pairs
between different surnames with no name relation, it also tells whether one mention's
patent lists the other's name (the two were co-inventors), which is how a label that
was moved to another inventor of the same patent shows up.

"Name-reachable ceiling": the best pairwise F1 of any method that links two mentions
only when their names are related in one of the ways listed (identical, variants of the
given name, surname typo, compound or swapped surname, ...): truth clusters cut into
the connected components of that relation, precision 1.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import jellyfish
from disambiguation_metrics import evaluate
from disambiguation_quality import DEFAULT_DATA, load_benchmarks, run_benchmark

from talent.disambiguation.names import (
    _NICK,
    CONFLICT,
    FULL,
    FUZZY,
    INITIAL,
    PREFIX,
    fold,
    given_compat,
    parse_name,
)

# Kinds whose names carry no relation at all: no name-based method can link them.
UNRELATED = "different surname and given name"


def _surname_parts(raw_last: str) -> set[str]:
    return {p for p in fold(raw_last).replace("-", " ").split() if len(p) > 1}


def pair_kind(a: dict, b: dict) -> str:
    na = parse_name(a["name_first"], a["name_last"])
    nb = parse_name(b["name_first"], b["name_last"])
    if na.last == nb.last:
        if na.given == nb.given:
            return "identical name"
        if not na.given or not nb.given:
            return "given name missing"
        rel, mid = given_compat(na.given, nb.given)
        if rel == CONFLICT:
            fa, fb = na.given[0], nb.given[0]
            if fb in na.given[1:] or fa in nb.given[1:]:
                return "middle name used as first"
            if fa[0] != fb[0]:
                if fa in _NICK or fb in _NICK:
                    return "nickname (other initial)"
                return "different first name (other initial)"
            if mid == -1:
                return "different first and middle"
            return "different first name (same initial)"
        if mid == -1:
            return "middle initial/name differs"
        if rel == FULL:
            return "middle name present/absent or initial vs full middle"
        if rel == INITIAL:
            return "initials vs full first name"
        if rel == PREFIX:
            return "short form of first name"
        if rel == FUZZY:
            fa, fb = na.given[0], nb.given[0]
            return "nickname" if fa in _NICK and fb in _NICK[fa] else "first-name typo"
        return f"same surname, {rel}"
    # Different surnames.
    fa_words = fold(a["name_first"]).replace("-", " ").split()
    fb_words = fold(b["name_first"]).replace("-", " ").split()
    if na.last in {"".join(fb_words), *fb_words} and nb.last in {"".join(fa_words), *fa_words}:
        return "swapped first/last"
    pa, pb = _surname_parts(a["name_last"]), _surname_parts(b["name_last"])
    if pa & pb or na.last in set(fb_words) or nb.last in set(fa_words):
        return "hyphenated/compound surname (or part moved to the given name)"
    if na.last.endswith(nb.last) or nb.last.endswith(na.last):
        return "hyphenated/compound surname (or part moved to the given name)"
    shorter = min(len(na.last), len(nb.last))
    if jellyfish.damerau_levenshtein_distance(na.last, nb.last) <= (1 if shorter < 6 else 2):
        return "surname typo"
    if jellyfish.metaphone(na.last) == jellyfish.metaphone(nb.last):
        return "surname spelling variant (same sound)"
    if na.given and nb.given:
        rel, mid = given_compat(na.given, nb.given)
        if rel in (FULL, FUZZY, PREFIX) and mid >= 0 and len(na.given[0]) > 1:
            return "same given name, other surname (maiden/married name?)"
    return UNRELATED


def analyse(rows: list[dict], pred: dict[str, str]) -> dict:
    by_id = {r["mention_id"]: r for r in rows}
    truth = {r["mention_id"]: r["cluster_id"] for r in rows}
    names_on_patent = defaultdict(set)
    for r in rows:
        names_on_patent[r["patent_number"]].add(parse_name(r["name_first"], r["name_last"]).last)
    fn, fp = Counter(), Counter()
    fn_coinventor = 0
    examples = defaultdict(list)
    ids = sorted(truth)
    for x, y in combinations(ids, 2):
        same_t, same_p = truth[x] == truth[y], pred[x] == pred[y]
        if same_t == same_p:
            continue
        a, b = by_id[x], by_id[y]
        kind = pair_kind(a, b)
        if same_t:
            fn[kind] += 1
            if kind == UNRELATED:
                la = parse_name(a["name_first"], a["name_last"]).last
                lb = parse_name(b["name_first"], b["name_last"]).last
                if (
                    la in names_on_patent[b["patent_number"]]
                    or lb in names_on_patent[a["patent_number"]]
                ):
                    fn_coinventor += 1
            examples[("FN", kind)].append((a, b))
        else:
            fp[kind] += 1
            examples[("FP", kind)].append((a, b))
    return {"fn": fn, "fp": fp, "fn_coinventor": fn_coinventor, "examples": examples}


def reachable_ceiling(rows: list[dict]) -> dict:
    """Truth cut into components of 'names related' — the best a name-based method can do."""
    truth = {r["mention_id"]: r["cluster_id"] for r in rows}
    members = defaultdict(list)
    for r in rows:
        members[r["cluster_id"]].append(r)
    label = {}
    for cid, ms in members.items():
        parent = list(range(len(ms)))

        def find(i, parent=parent):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i, j in combinations(range(len(ms)), 2):
            if pair_kind(ms[i], ms[j]) != UNRELATED:
                parent[find(i)] = find(j)
        for i, m in enumerate(ms):
            label[m["mention_id"]] = f"{cid}|{find(i)}"
    return evaluate(truth, label)


def _short(r: dict) -> str:
    return f"{r['name_first']} {r['name_last']} ({r['mention_id']}, id {r['cluster_id']})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--benchmarks", default="harvard,patentsview2021")
    parser.add_argument("--examples", type=int, default=0)
    args = parser.parse_args()
    by = load_benchmarks(args.data)
    all_rows = [r for rows in by.values() for r in rows]
    for name in args.benchmarks.split(","):
        rows = by[name]
        pred = run_benchmark(rows, all_rows)
        res = analyse(rows, pred)
        n_fn, n_fp = sum(res["fn"].values()), sum(res["fp"].values())
        print(f"== {name}: {n_fn} missed pairs, {n_fp} false pairs")
        for label, counter in (("missed (FN)", res["fn"]), ("false (FP)", res["fp"])):
            print(f"  {label}:")
            for kind, n in counter.most_common():
                print(f"    {n:6d}  {kind}")
                for a, b in res["examples"][(label[-3:-1], kind)][: args.examples]:
                    print(f"              {_short(a)}  ~  {_short(b)}")
        print(
            f"  missed pairs with unrelated names where the two were co-inventors on one "
            f"mention's patent: {res['fn_coinventor']}"
        )
        c = reachable_ceiling(rows)
        print(
            f"  name-reachable ceiling: P={c['pairwise_precision']:.3f} "
            f"R={c['pairwise_recall']:.3f} F1={c['pairwise_f1']:.3f}"
        )


if __name__ == "__main__":
    main()
