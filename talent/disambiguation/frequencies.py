"""How common a name is, estimated from the mentions being resolved (pure Python).

A shared full name is strong evidence when few people carry it and weak when many
do: two "Parthasarathy Sriram" mentions are almost surely one person, two "Wei Wang"
mentions are not. How many people carry a name cannot be counted directly (that is
what disambiguation finds out), so it is estimated the usual way, by independence:
among the distinct (surname, given name) pairs of one script, the expected number of
people called "given surname" is ``n_surname * n_given / n_pairs`` where ``n_surname``
is the number of distinct given names seen with that surname and ``n_given`` the
number of distinct surnames seen with that given name. Counting distinct pairs, not
mentions, keeps a prolific inventor from making his own name look common.

Scripts are counted apart: Chinese names (characters or pinyin with a Chinese
surname) and syllabic romanisations ("Chien-Hung Chen") share a small pool of
syllables, so within that pool "wei" and "wang" are common; a Latin-script name is
compared with Latin-script names.

The estimate depends on the corpus: the bigger the set of mentions, the more
namesakes a name has. Benchmarks are resolved on their own mentions; the portal
estimates from every stored mention (``talent.services.resolution``).
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .names import ParsedName

REFERENCE_FILE = Path(__file__).resolve().parents[2] / "data" / "talent" / "name_marginals.csv"
_REFERENCE: ReferenceNames | None = None
# The reference table is a sample; its namesake estimates are scaled to this many people,
# the smallest population a portal's inventors come from
# (a province's patent holders run to hundreds of thousands). At this size 王伟 / Wei
# Wang expects about 12 namesakes, Zhang Wei 9, "Chien-Hung Chen" 1, David Smith 2 and
# Parthasarathy Sriram 0.005.
REFERENCE_PEOPLE = 100_000


def script_of(name: ParsedName) -> str:
    return "zh" if (name.chinese or name.syllabic) else "latin"


class NameFrequencies:
    """Distinct (surname, given name) pairs per script, and their marginal counts."""

    __slots__ = ("givens", "pairs", "people", "reference", "surnames")

    def __init__(self, *, reference: ReferenceNames | None = None) -> None:
        # A names table counted the same way (data/talent/name_marginals.csv): the
        # corpus never makes a name rarer than it is there.
        self.reference = reference
        self.pairs: set[tuple[str, str, str]] = set()
        self.surnames: Counter = Counter()  # (script, surname) → distinct given names
        self.givens: Counter = Counter()  # (script, given) → distinct surnames
        self.people: Counter = Counter()  # script → distinct pairs

    @classmethod
    def from_names(cls, names: Iterable[ParsedName], *, reference: bool = True) -> NameFrequencies:
        """Frequencies of ``names``, with the reference table as a floor unless told not."""
        freq = cls(reference=reference_frequencies() if reference else None)
        for name in names:
            freq.add(name)
        return freq

    def add(self, name: ParsedName) -> None:
        first = name.first
        if len(first) < 2 or not name.last:
            return  # an initial says nothing about how common a given name is
        script = script_of(name)
        key = (script, name.last, first)
        if key in self.pairs:
            return
        self.pairs.add(key)
        self.surnames[(script, name.last)] += 1
        self.givens[(script, first)] += 1
        self.people[script] += 1

    def namesakes(self, last: str, first: str, script: str) -> float:
        """Expected number of *other* people called ``first last`` in this corpus.

        The counts include the mention's own pair; leaving it out (half a count each
        side, so a name seen once still has a small chance of a namesake) gives the
        namesakes besides this person. A pair never seen counts as seen once.
        """
        own = self._namesakes(last, first, script)
        if self.reference is not None:
            return max(own, self.reference.namesakes(last, first, script))
        return own

    def _namesakes(self, last: str, first: str, script: str) -> float:
        total = self.people.get(script, 0)
        if total <= 1:
            return 0.0
        n_s = max(self.surnames.get((script, last), 0), 1)
        n_g = max(self.givens.get((script, first), 0), 1)
        return (n_s - 0.5) * (n_g - 0.5) / total

    def name_bits(self, last: str, first: str, script: str, *, cap: float) -> float:
        """Log2 odds a shared full name gives by itself: ``-log2(namesakes)``, capped."""
        expected = self.namesakes(last, first, script)
        if expected <= 0.0:
            return cap
        return max(-cap, min(cap, -math.log2(expected)))


class ReferenceNames:
    """Name shares of a names table built from the data here (data/talent/name_marginals.csv).

    Surname shares come from the NVIDIA extract only (the raw PatentsView sample is
    sorted: all its surnames start with "A"); given-name shares from both. Scaled to
    ``REFERENCE_PEOPLE`` people split between scripts as in the NVIDIA extract.
    """

    def __init__(self) -> None:
        self.totals: Counter = Counter()  # (kind, script) → distinct pairs counted
        self.counts: Counter = Counter()  # (kind, script, value) → distinct partners

    def namesakes(self, last: str, first: str, script: str) -> float:
        pairs_s = self.totals.get(("surname", script), 0)
        pairs_g = self.totals.get(("given", script), 0)
        everyone = sum(n for (kind, _s), n in self.totals.items() if kind == "surname")
        if not (pairs_s and pairs_g and everyone):
            return 0.0
        f_s = max(self.counts.get(("surname", script, last), 0), 0.5) / pairs_s
        f_g = max(self.counts.get(("given", script, first), 0), 0.5) / pairs_g
        return REFERENCE_PEOPLE * (pairs_s / everyone) * f_s * f_g

    @classmethod
    def build(cls, *, surnames_from: NameFrequencies, givens_from: NameFrequencies):
        ref = cls()
        for script, n in surnames_from.people.items():
            ref.totals[("surname", script)] = n
        for script, n in givens_from.people.items():
            ref.totals[("given", script)] = n
        for (script, value), n in surnames_from.surnames.items():
            ref.counts[("surname", script, value)] = n
        for (script, value), n in givens_from.givens.items():
            ref.counts[("given", script, value)] = n
        return ref

    def write(self, path: Path) -> None:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["kind", "script", "value", "count"])
            for (kind, script), n in sorted(self.totals.items()):
                writer.writerow([f"{kind}_pairs", script, "", n])
            for (kind, script, value), n in sorted(self.counts.items()):
                writer.writerow([kind, script, value, n])

    @classmethod
    def read(cls, path: Path) -> ReferenceNames:
        ref = cls()
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                kind, n = row["kind"], int(row["count"])
                if kind.endswith("_pairs"):
                    ref.totals[(kind.removesuffix("_pairs"), row["script"])] = n
                else:
                    ref.counts[(kind, row["script"], row["value"])] = n
        return ref


def reference_frequencies() -> ReferenceNames | None:
    """The reference names table (None when the file is absent)."""
    global _REFERENCE
    if _REFERENCE is None and REFERENCE_FILE.exists():
        _REFERENCE = ReferenceNames.read(REFERENCE_FILE)
    return _REFERENCE
