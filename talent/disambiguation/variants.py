"""Second blocking key: where a surname variant of one person may be filed.

Blocks are surname + first initial, so "Liberman" and "Lieberman", "von Ramm" and
"Van Ramm", "Smith-Jones" and "Smith" never meet there. Each block is also filed under
variant keys — the surname with one letter deleted (two surnames one edit apart share
one: substitution, insertion, transposition) and the surname without a leading particle
or hyphen part — so the engine can look next door when a mention finds nobody in its
own block. Pure functions, no Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import jellyfish

from .names import ParsedName

if TYPE_CHECKING:
    from .engine import MentionRecord

_PARTICLES = (
    "vander",
    "vanden",
    "van",
    "von",
    "der",
    "den",
    "del",
    "de",
    "di",
    "da",
    "du",
    "la",
    "le",
)


def surname_variant_keys(last: str, initial: str, parts: tuple[str, ...] = ()) -> set[str]:
    """Keys two surname variants of one person share: one deletion each side covers a
    typo (substitution, insertion, transposition), a particle or hyphen part the
    compound. Empty for short surnames, where one letter makes another name."""
    keys = set()
    if len(last) >= 5:
        keys.add(f"d:{last}|{initial}")
        keys.update(f"d:{last[:i]}{last[i + 1 :]}|{initial}" for i in range(len(last)))
    bare = last
    for particle in _PARTICLES:
        if last.startswith(particle) and len(last) - len(particle) >= 4:
            bare = last[len(particle) :]
            break
    if len(bare) >= 4:
        keys.add(f"p:{bare}|{initial}")
    keys.update(f"p:{p}|{initial}" for p in parts if len(p) >= 4 and p not in _PARTICLES)
    return keys


def cross_block_eligible(name: ParsedName) -> bool:
    # Chinese and syllabic names never cross blocks: "Chen" / "Cheng", "Lin" / "Liu" are
    # other families, and such names need context even inside one block.
    return not (name.chinese or name.syllabic) and len(name.first) > 1


def surnames_related(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    # A particle or hyphen part dropped: "vonramm" / "ramm", "smithjones" / "smith".
    if len(short) >= 4 and (long_.startswith(short) or long_.endswith(short)):
        return True
    return jellyfish.damerau_levenshtein_distance(a, b) == 1


def _long_given(given: tuple[str, ...]) -> str:
    return "".join(t for t in given if len(t) > 1)


def swapped_block(name: ParsedName) -> str | None:
    """The block of the same name written the other way round: "King Tsu-Jae" is filed
    under king|t when written "Tsu-Jae King", and the reverse."""
    if not cross_block_eligible(name):
        return None
    joined = _long_given(name.given)
    if len(joined) < 3 or len(name.last) < 3 or joined == name.last:
        return None
    return f"{joined}|{name.last[0]}"


def swapped_given(name: ParsedName, given: tuple[str, ...]) -> bool:
    """Whether ``given`` (a name of the swapped block's person) is ``name``'s surname."""
    return _long_given(given) == name.last


def neighbour_blocks_among(
    records: Iterable[MentionRecord], stored_blocks: Iterable[str]
) -> set[str]:
    """The ``stored_blocks`` where a surname variant of one of ``records`` may be filed.

    The incremental path loads these next to the records' own blocks, so the second
    blocking key sees the same people a full run would. One pass over the stored block
    keys (distinct surname + initial), each reduced to its variant keys.
    """
    wanted: dict[str, set[str]] = defaultdict(set)
    swapped = set()
    for r in records:
        if cross_block_eligible(r.name):
            swapped.add(swapped_block(r.name))
            last, _sep, initial = r.block.partition("|")
            for key in surname_variant_keys(last, initial, r.name.last_parts):
                wanted[key].add(r.block)
    if not wanted:
        return set()
    initials = {key.rpartition("|")[2] for key in wanted}
    found = set()
    for block in stored_blocks:
        if block in swapped:
            found.add(block)
            continue
        last, _sep, initial = block.partition("|")
        if initial not in initials or block in found:
            continue
        for key in surname_variant_keys(last, initial):
            targets = wanted.get(key)
            if targets and any(
                t != block and surnames_related(last, t.partition("|")[0]) for t in targets
            ):
                found.add(block)
                break
    return found
