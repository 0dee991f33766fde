"""Person names as patent records write them, parsed into comparable parts.

Pure functions, no Django: the batch engine and the benchmarks import this on
the hot path, so results are cached per raw string.

What it handles and why:
- HTML entities in raw USPTO data (``&Hcirc;emberg``), accents and ligatures
  (Münger / Munger, Ørsted / Orsted) through ``anyascii``;
- Chinese characters: surname (incl. compound surnames such as 欧阳) split from
  the given name, both turned into pinyin with ``pypinyin`` (with the surname
  readings, e.g. 单 → shan, 曾 → zeng) so 王伟 meets "Wei Wang";
- pinyin given names written as "Xiao-Ming", "Xiao Ming" or "Xiaoming";
- surname-first order in Latin script ("WANG Wei" filed as first=Wang, last=Wei);
- initials, middle names and generational suffixes ("Miller, III").
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from pypinyin import lazy_pinyin

_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "dr", "prof"})
_COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "令狐",
        "夏侯",
        "长孙",
        "宇文",
        "司徒",
        "端木",
        "万俟",
        "独孤",
        "南宫",
        "西门",
        "轩辕",
    ]
)
# Surname readings that differ from the character's common reading.
_SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "翟": "zhai",
    "缪": "miao",
    "召": "shao",
    "种": "chong",
    "重": "chong",
    "秘": "bi",
    "长孙": "zhangsun",
    "尉迟": "yuchi",
    "万俟": "moqi",
    "柏": "bai",
    "薄": "bo",
    "沈": "shen",
    "藏": "zang",
}
# The most frequent Chinese surnames in pinyin (about 85% of the population):
# a name carrying one is treated as collision-prone.
CHINESE_SURNAMES = frozenset(
    [
        "wang",
        "li",
        "zhang",
        "liu",
        "chen",
        "yang",
        "huang",
        "zhao",
        "wu",
        "zhou",
        "xu",
        "sun",
        "ma",
        "zhu",
        "hu",
        "guo",
        "he",
        "gao",
        "lin",
        "luo",
        "zheng",
        "liang",
        "xie",
        "song",
        "tang",
        "han",
        "feng",
        "deng",
        "cao",
        "peng",
        "zeng",
        "xiao",
        "tian",
        "dong",
        "yuan",
        "pan",
        "yu",
        "jiang",
        "cai",
        "jia",
        "ding",
        "wei",
        "xue",
        "ye",
        "yan",
        "lu",
        "du",
        "dai",
        "xia",
        "zhong",
        "fang",
        "ren",
        "shen",
        "yao",
        "tan",
        "liao",
        "zou",
        "xiong",
        "jin",
        "hao",
        "kong",
        "bai",
        "cui",
        "kang",
        "mao",
        "qiu",
        "qin",
        "gu",
        "hou",
        "shao",
        "meng",
        "long",
        "wan",
        "duan",
        "lei",
        "qian",
        "yin",
        "yi",
        "chang",
        "qiao",
        "lai",
        "gong",
        "wen",
        "fu",
        "pang",
        "fan",
        "shi",
        "su",
        "lv",
        "lyu",
        "niu",
        "zhan",
        "bao",
        "ji",
        "hong",
        "cheng",
        "ou",
        "ouyang",
        "shan",
        "zhai",
        "miao",
        "zha",
        "yue",
        "piao",
        "mo",
        "ning",
        "shu",
        "tao",
        "yun",
        "guan",
        "jiao",
        "mu",
        "ai",
        "ke",
    ]
)
# Western given names that can stand next to a Chinese surname ("Robert Lee Chen").
_WESTERN_HINTS = frozenset({"lee", "ann", "anne", "jo", "mae", "ray", "jay", "roy", "max", "eric"})
# USPTO raw names carry the legal status of a deceased inventor's stand-in in the name
# fields: "Shigeura, deceased", "by Betty F." / "Abbott, heiress".
_LEGAL_TAIL_RE = re.compile(
    r",\s*(?:deceased|heiress|heir|executrix|executor|administratrix|administrator"
    r"|legal representative)\b.*$",
    re.IGNORECASE,
)
_BY_RE = re.compile(r"^by\s+", re.IGNORECASE)
_SPLIT_RE = re.compile(r"[\s.,\-_/]+")
_PINYIN_SYLLABLE_RE = re.compile(
    r"^(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan"
    r"|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ue|ui|ve|er|a|o|e|i|u|v))+$"
)


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def clean(raw: str | None) -> str:
    if not raw:
        return ""
    text = html.unescape(raw) if "&" in raw else raw
    return unicodedata.normalize("NFKC", text).strip()


def fold(text: str) -> str:
    """ASCII, lower case, letters/digits/spaces only."""
    return re.sub(r"[^a-z0-9 ]+", " ", anyascii(text).lower()).strip()


@dataclass(frozen=True, slots=True)
class ParsedName:
    last: str  # folded surname, no spaces: "mcmahon", "wang"
    given: tuple[str, ...]  # folded given-name tokens: ("nancy", "l"), ("xiaoming",)
    chinese: bool  # written in Chinese characters or a pinyin name with a common surname
    script: str  # "zh" when written in characters, else "latin"
    # Given name made of Chinese syllables (pinyin, or Wade-Giles "Chien-Hung"): a one-letter
    # difference is another name ("Chih-Wei" is not "Chieh-Wei"), never a typo.
    syllabic: bool = False
    # Surname words as written ("von Ramm" → ("von", "ramm"), "Garcia-Lopez" →
    # ("garcia", "lopez")); empty for a one-word surname. Lets "Ramm" meet "von Ramm".
    last_parts: tuple[str, ...] = ()

    @property
    def first(self) -> str:
        return self.given[0] if self.given else ""

    @property
    def initial(self) -> str:
        return self.first[:1]

    @property
    def middles(self) -> tuple[str, ...]:
        return self.given[1:]

    @property
    def block_key(self) -> str:
        return f"{self.last}|{self.initial}"

    @property
    def display(self) -> str:
        return f"{self.last} {' '.join(self.given)}".strip()


def _split_cjk(full: str) -> tuple[str, str]:
    chars = "".join(c for c in full if _is_cjk(c))
    if len(chars) >= 3 and chars[:2] in _COMPOUND_SURNAMES:
        return chars[:2], chars[2:]
    return chars[:1], chars[1:]


def _pinyin(chars: str, *, surname: bool = False) -> str:
    if surname and chars in _SURNAME_READINGS:
        return _SURNAME_READINGS[chars]
    return "".join(lazy_pinyin(chars)).replace("ü", "v")


def _is_pinyin_word(word: str) -> bool:
    return bool(word) and bool(_PINYIN_SYLLABLE_RE.match(word))


@lru_cache(maxsize=1_000_000)
def parse_name(first: str = "", last: str = "", full: str = "") -> ParsedName:
    """Parse a mention's name from whichever of first / last / full the source has."""
    first, last, full = clean(first), clean(last), clean(full)
    last, first = _LEGAL_TAIL_RE.sub("", last), _BY_RE.sub("", first)
    if not (first or last) and full:
        if any(_is_cjk(c) for c in full):
            last, first = _split_cjk(full)
        elif "," in full:
            last, _sep, first = full.partition(",")
        else:
            parts = full.replace("_", " ").split()
            last, first = (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else (full, "")
    cjk_text = f"{last}{first}"
    if cjk_text and any(_is_cjk(c) for c in cjk_text):
        if not first:
            last, first = _split_cjk(last)
        sur = "".join(c for c in last if _is_cjk(c))
        giv = "".join(c for c in first if _is_cjk(c))
        return ParsedName(
            last=_pinyin(sur, surname=True),
            given=(_pinyin(giv),) if giv else (),
            chinese=True,
            script="zh",
            syllabic=True,
        )
    last_tokens = [t for t in _SPLIT_RE.split(fold(last)) if t and t not in _SUFFIXES]
    given = [t for t in _SPLIT_RE.split(fold(first)) if t and t not in _SUFFIXES]
    surname = "".join(last_tokens)
    # "WANG Wei" filed as first=Wang, last=Wei: swap when only the first is a surname.
    if (
        len(given) == 1
        and given[0] in CHINESE_SURNAMES
        and surname not in CHINESE_SURNAMES
        and _is_pinyin_word(surname)
    ):
        surname, given = given[0], [surname]
    chinese = surname in CHINESE_SURNAMES and all(_is_pinyin_word(t) or len(t) == 1 for t in given)
    syllabic = chinese
    if chinese and len(given) > 1 and all(_is_pinyin_word(t) for t in given):
        # "Xiao Ming" / "Xiao-Ming" → "xiaoming": pinyin given names are one name.
        given = ["".join(given)]
    elif (
        surname in CHINESE_SURNAMES
        and len(given) == 2
        and all(2 <= len(t) <= 6 for t in given)
        and not any(t in _NICK or t in _WESTERN_HINTS for t in given)
    ):
        # Wade-Giles / Cantonese given names ("Chien-Hung Chen", "Chi Gon Chen") are one
        # two-syllable name too, not a first name plus a middle name.
        given, syllabic = ["".join(given)], True
    return ParsedName(
        last=surname,
        given=tuple(given),
        chinese=chinese,
        script="latin",
        syllabic=syllabic,
        last_parts=tuple(last_tokens)
        if len(last_tokens) > 1 and surname == "".join(last_tokens)
        else (),
    )


def person_key(first: str = "", last: str = "", full: str = "") -> str:
    """A short key for co-inventor overlap: surname + first initial."""
    parsed = parse_name(first, last, full)
    return parsed.block_key


# --- Given-name compatibility ----------------------------------------------------

FULL, PREFIX, FUZZY, INITIAL, CONFLICT = "full", "prefix", "fuzzy", "initial", "conflict"

_NICKNAMES = [
    {"william", "bill", "will", "billy", "willy"},
    {"robert", "bob", "rob", "bobby"},
    {"richard", "rick", "dick", "rich"},
    {"james", "jim", "jimmy"},
    {"john", "jack"},
    {"michael", "mike"},
    {"thomas", "tom"},
    {"joseph", "joe"},
    {"charles", "chuck"},
    {"edward", "ed", "ted", "ned"},
    {"elizabeth", "liz", "beth", "betsy"},
    {"margaret", "peggy", "maggie"},
    {"katherine", "kathy", "kate", "catherine"},
    {"steven", "steve", "stephen"},
    {"anthony", "tony"},
    {"daniel", "dan", "danny"},
    {"david", "dave"},
    {"kenneth", "ken"},
    {"gregory", "greg"},
    {"jeffrey", "jeff"},
    {"lawrence", "larry"},
    {"ronald", "ron"},
    {"timothy", "tim"},
    {"samuel", "sam"},
    {"benjamin", "ben"},
    {"alexander", "alex"},
    {"andrew", "andy"},
    {"patrick", "pat"},
    {"frederick", "fred"},
    {"philip", "phillip", "phil"},
    {"christopher", "chris"},
    {"matthew", "matt"},
    {"nicholas", "nick"},
    {"douglas", "doug"},
    {"donald", "don"},
    {"gerald", "jerry"},
    {"raymond", "ray"},
    {"leonard", "leo", "len"},
]
_NICK = {}
for _group in _NICKNAMES:
    for _n in _group:
        _NICK.setdefault(_n, set()).update(_group)


def _similar(a: str, b: str) -> bool:
    if a in _NICK and b in _NICK[a]:
        return True
    if len(a) < 4 or len(b) < 4:
        return False
    # One edit in a long name is a typo ("Phillip"/"Philip", "Jeffery"/"Jeffrey").
    import jellyfish

    return jellyfish.damerau_levenshtein_distance(a, b) <= (1 if min(len(a), len(b)) < 7 else 2)


@lru_cache(maxsize=2_000_000)
def given_compat(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, int]:
    """(first-name relation, middle-name evidence -1/0/+1/+2) of two given-name tuples."""
    if not a or not b:
        return INITIAL, 0
    fa, fb = a[0], b[0]
    # "S. James Adelstein" goes by the middle name: compare with what is written out.
    if len(fa) == 1 and len(a) > 1 and len(fb) > 1 and fb == a[1]:
        return FULL, 0
    if len(fb) == 1 and len(b) > 1 and len(fa) > 1 and fa == b[1]:
        return FULL, 0
    if len(fa) > 1 and len(fb) > 1:
        if fa == fb:
            relation = FULL
        elif fa.startswith(fb) or fb.startswith(fa):
            relation = PREFIX if min(len(fa), len(fb)) >= 3 else CONFLICT
        elif _similar(fa, fb):
            relation = FUZZY
        else:
            return CONFLICT, 0
    elif fa[0] == fb[0]:
        relation = INITIAL
    else:
        return CONFLICT, 0
    ma, mb = a[1:], b[1:]
    if not ma or not mb:
        return relation, 0
    if ma[0][0] != mb[0][0]:
        return relation, -1
    if len(ma[0]) > 1 and len(mb[0]) > 1:
        return relation, (2 if ma[0] == mb[0] else (1 if _similar(ma[0], mb[0]) else -1))
    return relation, 1
