"""Block → score → cluster: the inventor disambiguation engine (pure Python, no Django).

The same code does the full run and the daily increment: clusters are built by
attaching mentions one at a time to the best-scoring existing cluster of their
block, or opening a new cluster. A full run starts from no clusters (or from the
staff's pinned mentions); an increment starts from the clusters already stored.

Scores are sums of log2 Bayes factors (Fellegi–Sunter style): name agreement,
co-inventor overlap, shared assignee, technology (IPC/CPC group and subclass),
city, country and time. A prior depends on how collision-prone the name is:
Chinese names (王伟, Wei Wang) start so low that the name alone can never reach
the link threshold — some context must agree, and disagreeing context pushes
the score further down.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .frequencies import NameFrequencies, script_of
from .names import CONFLICT, FULL, FUZZY, INITIAL, PREFIX, ParsedName, given_compat
from .variants import (
    cross_block_eligible,
    neighbour_blocks_among,  # noqa: F401  (re-exported for callers)
    surname_variant_keys,
    surnames_related,
    swapped_block,
    swapped_given,
)

LINK_THRESHOLD = 0.0
# Links whose confidence falls in this band go to the staff review queue.
REVIEW_BAND = (0.35, 0.8)
_NEG = -1e9

NAME_WEIGHTS = {FULL: 6.0, PREFIX: 3.0, FUZZY: 3.0, INITIAL: 1.0}
MIDDLE_WEIGHTS = {2: 3.0, 1: 1.5, 0: 0.0, -1: -10.0}
PRIOR_WESTERN = -3.0
PRIOR_CHINESE = -9.0
# In a block with many candidate people a name match says less.
SMALL_BLOCK = 25
MAX_CONTEXT_CANDIDATES = 30
MAX_NAME_CANDIDATES = 50
# Second blocking key: a mention that finds nobody in its own block (surname + initial)
# may join a person whose surname is one edit away ("Liberman" / "Lieberman",
# "Kaczur" / "Kazcur") or the same surname without a particle or hyphen part ("von Ramm"
# / "Ramm", "Smith-Jones" / "Smith") or written the other way round, when the written-out
# first name is the same and a middle name or work context agrees. The surname
# disagreement costs these bits (set on lai2011, validated leave-one-benchmark-out by
# bench/disambiguation_lobo.py, see docs/benchmarks.md).
CROSS_BLOCK_PENALTY = 1.0

# With name frequencies estimated from the corpus (frequencies.NameFrequencies) a shared
# full name is worth -log2(expected namesakes) bits, capped at NAME_CAP either way, plus
# NAME_BIAS (validated leave-one-benchmark-out: bench/disambiguation_slices.py). A name
# with at least COMMON_NAME expected namesakes needs agreeing work context to link.
NAME_CAP = 8.0
NAME_BIAS = 1.0
COMMON_NAME = 4.0
# Context that disagrees this strongly vetoes a link whatever the name says.
STRONG_DISAGREEMENT = -3.5
# A different country or city is weak evidence (inventors move); a missing one is none.
COUNTRY_DIFFERS = -1.0
COUNTRY_AGREES = 0.5
CITY_DIFFERS = -0.5
FAR_APART = -4.0
# Two stored people fit a mention almost equally ("David Moore" next to "David E." and
# "David G. Moore"): a link would be a guess, so the mention opens its own person.
AMBIGUITY_MARGIN = 2.0


@dataclass(slots=True)
class MentionRecord:
    id: str
    name: ParsedName
    patent: str = ""
    assignees: frozenset[str] = frozenset()
    co_inventors: frozenset[str] = frozenset()  # person keys (surname|initial)
    ipc_subclasses: frozenset[str] = frozenset()
    ipc_groups: frozenset[str] = frozenset()
    city: str = ""
    country: str = ""
    year: int | None = None

    @property
    def block(self) -> str:
        given = self.name.given
        # "S. James Adelstein" goes by James: block him with the Jameses.
        if len(given) > 1 and len(given[0]) == 1 and len(given[1]) > 1:
            return f"{self.name.last}|{given[1][0]}"
        return self.name.block_key


@dataclass(slots=True)
class Cluster:
    label: str
    pinned: bool = False
    names: set = field(default_factory=set)  # distinct given-name tuples
    firsts: set = field(default_factory=set)
    chinese: bool = False
    syllabic: bool = False
    co_inventors: set = field(default_factory=set)
    assignees: set = field(default_factory=set)
    ipc_subclasses: set = field(default_factory=set)
    ipc_groups: set = field(default_factory=set)
    cities: set = field(default_factory=set)
    countries: set = field(default_factory=set)
    year_min: int | None = None
    year_max: int | None = None
    size: int = 0

    def add(self, m: MentionRecord) -> None:
        self.names.add(m.name.given)
        if m.name.given:
            self.firsts.add(m.name.given[0])
        self.chinese = self.chinese or m.name.chinese
        self.syllabic = self.syllabic or m.name.syllabic
        self.co_inventors |= m.co_inventors
        self.assignees |= m.assignees
        self.ipc_subclasses |= m.ipc_subclasses
        self.ipc_groups |= m.ipc_groups
        if m.city:
            self.cities.add(m.city)
        if m.country:
            self.countries.add(m.country)
        if m.year:
            self.year_min = m.year if self.year_min is None else min(self.year_min, m.year)
            self.year_max = m.year if self.year_max is None else max(self.year_max, m.year)
        self.size += 1


@dataclass(slots=True)
class Assignment:
    mention_id: str
    label: str
    confidence: float  # probability the link (or the new-person decision) is right
    score: float
    reasons: tuple[str, ...]
    new: bool  # opened a new cluster


_FIRST_FREQ: dict[str, float] | None = None
_LAST_FREQ: dict[str, float] | None = None
FREQ_FILE = Path(__file__).resolve().parents[2] / "data" / "talent" / "first_name_frequencies.csv"
SURNAME_FILE = Path(__file__).resolve().parents[2] / "data" / "talent" / "surname_frequencies.csv"
# Scale of the commonness penalty: "David" (1.2% of US inventor mentions) costs ~3 bits.
COMMONNESS_SCALE = 600.0


def first_name_commonness(first: str) -> float:
    """Bits a Western first name loses for being common (shared by many inventors)."""
    global _FIRST_FREQ
    if _FIRST_FREQ is None:
        freq = {}
        if FREQ_FILE.exists():
            with open(FREQ_FILE, newline="", encoding="utf-8") as fh:
                rows = list(csv.reader(fh))[1:]
            total = float(rows[0][1]) if rows else 1.0
            freq = {name: int(count) / total for name, count in rows[1:]}
        _FIRST_FREQ = freq
    if len(first) < 2:
        return 0.0
    return math.log2(1.0 + COMMONNESS_SCALE * _FIRST_FREQ.get(first, 0.0))


def surname_commonness(last: str) -> float:
    """Bits a Western surname loses for being common: "Moore" (0.31% of US residents)
    ~1.5 bits, "Smith" ~2.8, a rare surname ~0. Chinese surnames have their own prior."""
    global _LAST_FREQ
    if _LAST_FREQ is None:
        freq = {}
        if SURNAME_FILE.exists():
            with open(SURNAME_FILE, newline="", encoding="utf-8") as fh:
                freq = {name: float(pct) / 100.0 for name, pct in list(csv.reader(fh))[1:]}
        _LAST_FREQ = freq
    return math.log2(1.0 + COMMONNESS_SCALE * _LAST_FREQ.get(last, 0.0))


def time_evidence(gap: int) -> float:
    """Log2 factor for the years between a mention and a person's known active span.

    One person's patents cluster in time (most within a few years of each other);
    two people who merely share a name are spread over the whole patent record.
    """
    if gap <= 2:
        return 0.5
    if gap <= 7:
        return 0.0
    if gap <= 12:
        return -1.0
    if gap <= 17:
        return -2.0
    return -3.0


def sigmoid2(score: float) -> float:
    """Probability from a log2 odds score."""
    if score > 60:
        return 1.0
    if score < -60:
        return 0.0
    return 1.0 / (1.0 + 2.0 ** (-score))


def _technology_evidence(m, c) -> tuple[bool, float, float, str]:
    """(same technology group, support bits, conflict bits, reason) of a mention against
    a cluster's patents. A neighbouring class (G06F / G06T) is weak disagreement,
    another field strong."""
    if m.ipc_groups & c.ipc_groups:
        return True, 2.5, 0.0, "same technology group"
    if m.ipc_subclasses & c.ipc_subclasses:
        return False, 1.5, 0.0, "same technology subclass"
    if m.ipc_subclasses and c.ipc_subclasses:
        near = {s[:3] for s in m.ipc_subclasses} & {s[:3] for s in c.ipc_subclasses}
        return False, 0.0, 0.5 if near else 2.0, "different technology"
    return False, 0.0, 0.0, ""


def score_pair(
    m: MentionRecord,
    c: Cluster,
    *,
    block_clusters: int = 1,
    freq: NameFrequencies | None = None,
) -> tuple[float, list]:
    """Log2 odds that mention ``m`` is the person of cluster ``c``, with reasons.

    With ``freq`` the name's weight comes from how common it is in the corpus and
    country / city differences are weak evidence; without it, the fixed priors.
    """
    best_rel, worst_mid, best_given = None, 2, ()
    syllabic = m.name.syllabic or c.syllabic
    for given in c.names:
        rel, mid = given_compat(m.name.given, given)
        if syllabic and rel in (FUZZY, PREFIX):
            rel = CONFLICT  # "Chih-Wei" / "Chieh-Wei", "Xiaoming" / "Xiaomin"
        if rel == CONFLICT:
            return _NEG, ["name conflict"]
        # Ties go to the smaller name tuple: a set's order depends on the process's
        # hash seed, and Spark workers must decide as the driver does.
        if (
            best_rel is None
            or NAME_WEIGHTS[rel] > NAME_WEIGHTS[best_rel]
            or (NAME_WEIGHTS[rel] == NAME_WEIGHTS[best_rel] and given < best_given)
        ):
            best_rel, best_given = rel, given
        worst_mid = min(worst_mid, mid)
    if best_rel is None:
        best_rel, worst_mid = INITIAL, 0
    chinese = m.name.chinese or c.chinese
    if freq is not None:
        return _score_with_frequencies(m, c, freq, best_rel, best_given, worst_mid, syllabic)
    if chinese:
        score = PRIOR_CHINESE
    else:
        score = (
            PRIOR_WESTERN - first_name_commonness(m.name.first) - surname_commonness(m.name.last)
        )
    if block_clusters > SMALL_BLOCK:
        score -= math.log2(block_clusters / SMALL_BLOCK)
    reasons = [f"name {best_rel}"]
    score += NAME_WEIGHTS[best_rel] + MIDDLE_WEIGHTS[worst_mid]
    if worst_mid:
        reasons.append(f"middle name {'agrees' if worst_mid > 0 else 'differs'}")

    shared_co = len(m.co_inventors & c.co_inventors)
    if shared_co:
        score += 5.0 if shared_co == 1 else 8.0
        reasons.append(f"{shared_co} shared co-inventor(s)")
    elif m.co_inventors and c.co_inventors:
        score -= 0.5
    if m.assignees and c.assignees:
        if m.assignees & c.assignees:
            score += 4.0
            reasons.append("same assignee")
        else:
            score -= 3.0 if chinese else 1.5
            reasons.append("different assignee")
    tech_agrees, support, conflict, reason = _technology_evidence(m, c)
    score += support - conflict
    if reason:
        reasons.append(reason)
    city_agrees = bool(m.city and m.city in c.cities)
    if m.city and c.cities:
        if city_agrees:
            score += 1.5
            reasons.append("same city")
        else:
            score -= 1.0
    if m.country and c.countries and m.country not in c.countries:
        score -= 3.0
        reasons.append("different country")
    if m.year and c.year_min is not None:
        gap = max(c.year_min - m.year, m.year - c.year_max, 0)
        bits = time_evidence(gap)
        score += bits
        if bits < 0:
            reasons.append("far apart in time")
        elif bits > 0:
            reasons.append("close in time")
    if chinese and not (shared_co or tech_agrees or city_agrees):
        # A common Chinese name plus at most a shared (often large) employer is not a
        # person: some work-level evidence — co-inventor, field or city — must agree.
        score = min(score, LINK_THRESHOLD - 0.5)
    return score, reasons


def _written_first(m: MentionRecord, given: tuple[str, ...]) -> str:
    """The written-out first name of the pair ("S. James" goes by James)."""
    for g in (m.name.given, given):
        if g and len(g[0]) > 1:
            return g[0]
        if len(g) > 1 and len(g[1]) > 1:
            return g[1]
    return ""


def _score_with_frequencies(
    m: MentionRecord,
    c: Cluster,
    freq: NameFrequencies,
    rel: str,
    given: tuple[str, ...],
    worst_mid: int,
    syllabic: bool,
) -> tuple[float, list]:
    script = "zh" if (m.name.chinese or c.chinese or syllabic) else script_of(m.name)
    first = _written_first(m, given)
    namesakes = freq.namesakes(m.name.last, first, script) if first else float("inf")
    # Initials on both sides: nothing tells people apart.
    name_bits = freq.name_bits(m.name.last, first, script, cap=NAME_CAP) if first else -NAME_CAP
    # A partial agreement (initial, nickname, typo) is less than the full name.
    score = NAME_BIAS + name_bits - (NAME_WEIGHTS[FULL] - NAME_WEIGHTS[rel])
    reasons = [f"name {rel}"]
    if namesakes >= COMMON_NAME:
        reasons.append("common name")
    elif first and rel == FULL:
        reasons.append("rare name")
    score += MIDDLE_WEIGHTS[worst_mid]
    if worst_mid:
        reasons.append(f"middle name {'agrees' if worst_mid > 0 else 'differs'}")

    against = 0.0  # context disagreement, summed: a strong one vetoes
    shared_co = len(m.co_inventors & c.co_inventors)
    if shared_co:
        score += 5.0 if shared_co == 1 else 8.0
        reasons.append(f"{shared_co} shared co-inventor(s)")
    elif m.co_inventors and c.co_inventors:
        against -= 0.5
    if m.assignees and c.assignees:
        if m.assignees & c.assignees:
            score += 4.0
            reasons.append("same assignee")
        else:
            against -= 1.5
            reasons.append("different assignee")
    tech_agrees, support, conflict, reason = _technology_evidence(m, c)
    score += support
    against -= conflict
    if reason:
        reasons.append(reason)
    city_agrees = bool(m.city and m.city in c.cities)
    if m.city and c.cities:
        if city_agrees:
            score += 1.5
            reasons.append("same city")
        else:
            against += CITY_DIFFERS
            reasons.append("different city")
    if m.country and c.countries:
        if m.country in c.countries:
            score += COUNTRY_AGREES
        else:
            against += COUNTRY_DIFFERS
            reasons.append("different country")
    if m.year and c.year_min is not None:
        gap = max(c.year_min - m.year, m.year - c.year_max, 0)
        bits = time_evidence(gap)
        if gap > 17:
            bits = FAR_APART  # a whole career apart: strong on its own
        if bits < 0:
            against += bits
            reasons.append("far apart in time")
        elif bits > 0:
            score += bits
            reasons.append("close in time")
    score += against
    # A shared big employer is not work-level evidence for a Chinese-script name.
    work = shared_co or tech_agrees or city_agrees
    work = work or (script == "latin" and "same assignee" in reasons)
    if against <= STRONG_DISAGREEMENT and not shared_co:
        # Name alone never merges two mentions whose context disagrees strongly.
        score = min(score, LINK_THRESHOLD - 0.5)
        reasons.append("context disagrees")
    elif namesakes >= COMMON_NAME and not work:
        # 王伟, "Chien-Hung Chen": many people carry the name; some work-level
        # evidence (co-inventor, assignee, field or city) must agree.
        score = min(score, LINK_THRESHOLD - 0.5)
    return score, reasons


def _context_tokens(m: MentionRecord) -> set[str]:
    tokens = {f"co:{k}" for k in m.co_inventors} | {f"as:{k}" for k in m.assignees}
    tokens |= {f"ipc:{g}" for g in m.ipc_groups}
    if m.city:
        tokens.add(f"city:{m.city}")
    return tokens


_WORK_EVIDENCE = ("shared co-inventor", "same assignee", "same technology", "same city")


def _variant_supported(reasons: list[str]) -> bool:
    """A surname variant is a second name difference on top of whatever else differs:
    it links only with agreeing work context or an agreeing middle name. Without this,
    context-free names one edit apart (Abram / Abrams, Petersen / Peterson: real, distinct
    surnames) merged by the thousand in the 1M-mention load (772k → 715k people)."""
    if "middle name agrees" in reasons:
        return True
    return any(w in r for r in reasons for w in _WORK_EVIDENCE)


class Resolver:
    """Holds the clusters of every block; attach mentions to them one by one."""

    def __init__(
        self, *, label_prefix: str = "c", frequencies: NameFrequencies | None = None
    ) -> None:
        self.freq = frequencies
        self.blocks: dict[str, list[Cluster]] = defaultdict(list)
        # Candidate indexes per block: first given name / co-inventor / assignee → clusters.
        self._by_first: dict[tuple, dict[int, Cluster]] = defaultdict(dict)
        self._by_ctx: dict[tuple, dict[int, Cluster]] = defaultdict(dict)
        self._labels: dict[tuple, Cluster] = {}
        # Surname-variant key → blocks holding a person under that key (second blocking key).
        self._variants: dict[str, set[str]] = defaultdict(set)
        self._counter = 0
        self._prefix = label_prefix

    def _index(self, block: str, cluster: Cluster, m: MentionRecord) -> None:
        # Dicts keyed by id(cluster): membership is O(1) however big a block grows.
        if m.name.given and len(m.name.first) > 1:
            self._by_first[(block, m.name.first)][id(cluster)] = cluster
        for token in _context_tokens(m):
            self._by_ctx[(block, token)][id(cluster)] = cluster

    def seed(self, m: MentionRecord, label: str, *, pinned: bool = False) -> None:
        """Put ``m`` into the cluster ``label`` of its block, no scoring (stored or pinned)."""
        block = m.block
        cluster = self._labels.get((block, label))
        if block not in self.blocks:
            self.register_block(block, m.name.last_parts)
        if cluster is None:
            cluster = Cluster(label=label, pinned=pinned)
            self._labels[(block, label)] = cluster
            self.blocks[block].append(cluster)
        cluster.add(m)
        self._index(block, cluster, m)

    def register_block(self, block: str, parts: tuple[str, ...] = ()) -> None:
        last, _sep, initial = block.partition("|")
        for key in surname_variant_keys(last, initial, parts):
            self._variants[key].add(block)

    def neighbour_blocks(self, m: MentionRecord) -> set[str]:
        """Other blocks where a surname variant of ``m``'s person may already be filed."""
        if not cross_block_eligible(m.name):
            return set()
        block = m.block
        last, _sep, initial = block.partition("|")
        found = set()
        for key in surname_variant_keys(last, initial, m.name.last_parts):
            found.update(self._variants.get(key, ()))
        found.discard(block)
        return {b for b in found if surnames_related(last, b.partition("|")[0])}

    def _cross_block_best(self, m: MentionRecord) -> tuple[Cluster | None, float, list]:
        best, best_score, best_reasons = None, _NEG, []
        for other in sorted(self.neighbour_blocks(m)):  # sorted: independent of hash seed
            # Same written-out first name only: two name differences at once is too many.
            for c in self._by_first.get((other, m.name.first), {}).values():
                if c.chinese or c.syllabic:
                    continue
                s, reasons = score_pair(
                    m, c, block_clusters=len(self.blocks[other]), freq=self.freq
                )
                if reasons[0] != f"name {FULL}" or not _variant_supported(reasons):
                    continue
                s -= CROSS_BLOCK_PENALTY
                if s > best_score:
                    best, best_score = c, s
                    best_reasons = [*reasons, f"surname variant ({other.partition('|')[0]})"]
        other = swapped_block(m.name)
        clusters = self.blocks.get(other, ()) if other else ()
        if len(clusters) > MAX_NAME_CANDIDATES:
            clusters = self._by_first.get((other, m.name.last), {}).values()
        for c in clusters:
            if c.chinese or c.syllabic:
                continue
            for given in sorted(c.names):
                if not swapped_given(m.name, given):
                    continue
                # Score as the name written the block's way round; the order costs the
                # same bits as a surname variant.
                turned = replace(m, name=replace(m.name, last=other.partition("|")[0], given=given))
                s, reasons = score_pair(
                    turned, c, block_clusters=len(self.blocks[other]), freq=self.freq
                )
                s -= CROSS_BLOCK_PENALTY
                # The turned name copies the person's given names: its middle "agrees" by
                # construction, so only work context can support a swapped order.
                own = [r for r in reasons if r != "middle name agrees"]
                if reasons[0] == f"name {FULL}" and _variant_supported(own) and s > best_score:
                    best, best_score = c, s
                    best_reasons = [*reasons, "first and last name swapped"]
        return best, best_score, best_reasons

    def _candidates(self, block: str, m: MentionRecord) -> list[Cluster]:
        clusters = self.blocks.get(block, [])
        if len(clusters) <= SMALL_BLOCK:
            return clusters
        seen: dict[int, Cluster] = {}
        if len(m.name.first) > 1:
            same_name = self._by_first.get((block, m.name.first), {})
            # Many people already carry this exact name (王伟, David Abe): the name alone
            # cannot pick one, so only people sharing some context are worth scoring.
            if len(same_name) <= MAX_NAME_CANDIDATES:
                seen.update(same_name)
        for token in sorted(_context_tokens(m)):  # candidate order must not follow hash seed
            found = self._by_ctx.get((block, token), {})
            # A big employer's key matches hundreds of people in a block: it says little
            # on its own, and people sharing the given name are already candidates.
            if len(found) <= MAX_CONTEXT_CANDIDATES:
                seen.update(found)
        return list(seen.values())

    def attach(self, m: MentionRecord) -> Assignment:
        block = m.block
        n_clusters = len(self.blocks.get(block, ()))
        best, best_score, best_reasons, second = None, _NEG, [], _NEG
        for c in self._candidates(block, m):
            s, reasons = score_pair(m, c, block_clusters=n_clusters, freq=self.freq)
            if s > best_score:
                best, best_score, best_reasons, second = c, s, reasons, best_score
            elif s > second:
                second = s
        if (best is None or best_score < LINK_THRESHOLD) and cross_block_eligible(m.name):
            other, other_score, other_reasons = self._cross_block_best(m)
            if other is not None and other_score >= LINK_THRESHOLD:
                # The person now lives in both blocks: later mentions of this block meet it.
                if (block, other.label) not in self._labels:
                    if block not in self.blocks:
                        self.register_block(block, m.name.last_parts)
                    self._labels[(block, other.label)] = other
                    self.blocks[block].append(other)
                best, best_score, best_reasons, second = other, other_score, other_reasons, _NEG
        ambiguous = (
            self.freq is not None
            and second >= LINK_THRESHOLD
            and best_score - second < AMBIGUITY_MARGIN
        )
        if best is not None and best_score >= LINK_THRESHOLD and not ambiguous:
            confidence = sigmoid2(best_score)
            if second >= LINK_THRESHOLD:
                # Two people fit: the link is only as sure as the margin between them.
                confidence = min(confidence, sigmoid2(best_score - second))
            best.add(m)
            self._index(block, best, m)
            return Assignment(m.id, best.label, confidence, best_score, tuple(best_reasons), False)
        self._counter += 1
        label = f"{self._prefix}{self._counter}"
        self.seed(m, label)
        confidence = 1.0 - sigmoid2(best_score) if best is not None else 1.0
        reasons = ("no matching person", *best_reasons) if best is not None else ("new name",)
        if ambiguous:
            reasons = ("fits several people", *best_reasons)
        return Assignment(m.id, label, confidence, best_score, reasons, True)


def _order_key(m: MentionRecord) -> tuple:
    # Richest names first so that initials attach to well-described people; then time.
    given = m.name.given
    richness = (len(given[0]) > 1 if given else False) + len(given)
    return (m.block, -richness, m.year or 0, m.patent, m.id)


def resolve(
    mentions: Iterable[MentionRecord],
    *,
    fixed: Iterable[tuple[MentionRecord, str, bool]] = (),
    label_prefix: str = "c",
    frequencies: NameFrequencies | bool | None = True,
) -> list[Assignment]:
    """Cluster ``mentions``; ``fixed`` are (mention, label, pinned) already placed.

    ``frequencies``: True (default) estimates name frequencies from ``mentions`` and
    ``fixed`` together; a ``NameFrequencies`` is used as given; False/None keeps the
    fixed name priors of the engine before frequencies.
    """
    mentions = list(mentions)
    fixed = list(fixed)
    if frequencies is True:
        frequencies = NameFrequencies.from_names(
            [m.name for m in mentions] + [m.name for m, _l, _p in fixed]
        )
    resolver = Resolver(label_prefix=label_prefix, frequencies=frequencies or None)
    for m, label, pinned in fixed:
        resolver.seed(m, label, pinned=pinned)
    return [resolver.attach(m) for m in sorted(mentions, key=_order_key)]
