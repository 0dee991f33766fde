"""Pure functions that turn what patent files say into the schema's canonical forms.

Each raises ``ValueError`` with a message fit to show a user (it ends up in an
import's error report next to the line number). They are on the import hot
path, so they avoid regex work they can skip and cache what repeats.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from functools import lru_cache

from django.utils.translation import gettext as _

from .models import PatentType

# --- Publication numbers -------------------------------------------------------

# Country (2 letters), serial (digits, optionally with a year and a design/plant
# prefix), kind code (letter + optional digit). Separators in the wild: space,
# hyphen, underscore, dot, slash.
# Singapore serials end in a check letter (SG11201502189UA): a trailing letter
# belongs to the serial only when a kind code still follows it.
_PUBLICATION_RE = re.compile(
    r"^([A-Z]{2})((?:[A-Z]{1,2})?\d{4,13}(?:[A-Z](?=[A-Z]\d?$))?)([A-Z]\d?)?$"
)
_SEPARATORS_RE = re.compile(r"[\s\-_./,]")


def normalize_publication_number(raw: str, *, default_country: str = "") -> str:
    """``CN 114081026 A``, ``cn114081026a``, ``US-7197497-B2`` → ``CN114081026A`` etc."""
    compact = _SEPARATORS_RE.sub("", raw.strip().upper())
    if not compact:
        raise ValueError(_("publication number is missing"))
    if compact[:1].isdigit() and default_country:
        compact = default_country + compact
    match = _PUBLICATION_RE.match(compact)
    if not match:
        raise ValueError(_("malformed publication number %(value)r") % {"value": raw[:40]})
    return compact


def split_publication_number(number: str) -> tuple[str, str, str]:
    """(country, serial, kind) of a normalised publication number."""
    match = _PUBLICATION_RE.match(number)
    if not match:
        raise ValueError(_("malformed publication number %(value)r") % {"value": number[:40]})
    return match.group(1), match.group(2), match.group(3) or ""


def publication_number_lookup_forms(query: str) -> list[str]:
    """Forms to try when a user types a number: with and without country and kind."""
    compact = _SEPARATORS_RE.sub("", query.strip().upper())
    if not compact:
        return []
    return [compact] if compact[:2].isalpha() else ["CN" + compact, "US" + compact]


# CN kind codes: A application published, B invention granted, C (pre-2010)
# invention granted, U utility model, Y (pre-2010) utility model, S design.
_CN_KIND_TYPE = {
    "A": (PatentType.INVENTION, False),
    "B": (PatentType.INVENTION, True),
    "C": (PatentType.INVENTION, True),
    "U": (PatentType.UTILITY_MODEL, True),
    "Y": (PatentType.UTILITY_MODEL, True),
    "S": (PatentType.DESIGN, True),
}


def cn_kind_type(kind: str) -> tuple[str, bool]:
    """(patent type, is a grant) for a CN kind code like ``A``, ``B``, ``U``."""
    return _CN_KIND_TYPE.get(kind[:1], (PatentType.OTHER, False))


# --- Classification codes --------------------------------------------------------

_IPC_RE = re.compile(r"^([A-H])(\d{2})?([A-Z])?(?:(\d{1,4})/(\d{1,6}))?$")
# CPC adds section Y (tagging of new technologies, e.g. Y02A50/30).
_CPC_RE = re.compile(r"^([A-HY])(\d{2})?([A-Z])?(?:(\d{1,4})/(\d{1,6}))?$")
# PatentsView / EPO fixed-width form: G06F0016000000 or "G06F  16/00".
_IPC_FIXED_RE = re.compile(r"^([A-HY]\d{2}[A-Z])0*(\d{1,4})(\d{6})$")


@lru_cache(maxsize=200_000)
def normalize_classification(raw: str, *, scheme: str = "ipc") -> str:
    """``G06F 16/00`` → ``G06F16/00``; sections, classes and subclasses pass through.

    Works for IPC and CPC (CPC adds 2000-series groups and section Y).
    """
    code = raw.strip().upper().replace(" ", "")
    if not code:
        raise ValueError(_("empty classification code"))
    fixed = _IPC_FIXED_RE.match(code)
    if fixed:
        subgroup = fixed.group(3).rstrip("0").ljust(2, "0")
        code = f"{fixed.group(1)}{int(fixed.group(2))}/{subgroup}"
    match = (_CPC_RE if scheme == "cpc" else _IPC_RE).match(code)
    if (
        not match
        or (match.group(4) and not match.group(3))
        or (match.group(3) and not match.group(2))
    ):
        raise ValueError(_("malformed classification code %(value)r") % {"value": raw[:30]})
    return code


def split_codes(raw: str, *, scheme: str = "ipc") -> list[str]:
    """Split a multi-valued code cell (``;``, ``|``, ``,`` or newlines), normalise, dedupe."""
    if not raw:
        return []
    seen: dict[str, None] = {}
    for part in re.split(r"[;|,\n；，]", raw):
        part = part.strip()
        # Some exports append the version, e.g. "G06F16/00(2019.01)".
        part = part.split("(", 1)[0].strip()
        if part:
            seen[normalize_classification(part, scheme=scheme)] = None
    return list(seen)


def classification_subclass(code: str) -> str:
    return code[:4]


# --- Dates ---------------------------------------------------------------------

_DATE_RE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$")


def parse_date(raw: object) -> dt.date | None:
    """ISO, ``2021/3/5``, ``20210305``, ``2021.03.05``, ``2021年3月5日``, or a date cell."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    # Spreadsheet exports often carry a midnight time.
    text = text.split(" ", 1)[0].split("T", 1)[0]
    match = _DATE_RE.match(text)
    if not match:
        raise ValueError(_("malformed date %(value)r") % {"value": str(raw)[:30]})
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ValueError(_("impossible date %(value)r") % {"value": str(raw)[:30]}) from None


# --- Names -------------------------------------------------------------------

_PUNCT_RE = re.compile(r"[\s\.,;:'\"“”‘’`()（）\[\]【】<>《》&\-_/\\·・]+")
_LEGAL_SUFFIXES = (
    (re.compile(r"\bCORPORATION\b"), "CORP"),
    (re.compile(r"\bINCORPORATED\b"), "INC"),
    (re.compile(r"\bCOMPANY\b"), "CO"),
    (re.compile(r"\bLIMITED\b"), "LTD"),
)


def clean_text(raw: str) -> str:
    """Unescape HTML entities (raw USPTO data has ``&Hcirc;``), NFKC, trim."""
    text = html.unescape(raw) if "&" in raw else raw
    return unicodedata.normalize("NFKC", text).strip()


@lru_cache(maxsize=500_000)
def normalize_organization_name(raw: str) -> str:
    """The deduplication key for organizations.

    Full-width/half-width, case, punctuation and spacing differences collapse;
    common English legal-form spellings are unified (CORPORATION → CORP).
    Chinese names keep every character: 山东大学 and 山东大学威海分校 stay apart.
    """
    text = clean_text(raw).upper()
    if text.isascii():
        for pattern, replacement in _LEGAL_SUFFIXES:
            text = pattern.sub(replacement, text)
    return _PUNCT_RE.sub("", text)[:255]


@lru_cache(maxsize=500_000)
def normalize_person_name(raw: str) -> str:
    """Case- and accent-folded name with single spaces; CJK names lose inner spaces."""
    text = clean_text(raw)
    if "," in text and text.isascii():
        # "Last, First" as some exports write it.
        last, _sep, first = text.partition(",")
        text = f"{first.strip()} {last.strip()}"
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    folded = re.sub(r"[^\w\s]", " ", folded)
    folded = " ".join(folded.split())
    if folded and not folded.isascii() and all(_is_cjk(c) or c == " " for c in folded):
        folded = folded.replace(" ", "")
    return folded[:255]


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def text_language(text: str) -> str:
    """``zh`` when the text is mostly CJK, ``en`` otherwise (good enough to pick analysers)."""
    if not text:
        return ""
    sample = text[:200]
    cjk = sum(1 for c in sample if _is_cjk(c))
    return "zh" if cjk * 4 >= len(sample.replace(" ", "")) else "en"


# --- Application numbers -------------------------------------------------------

_PCT_RE = re.compile(r"^(?:PCT)?([A-Z]{2})(\d{7,12})W$")
_CN_APP_DIGITS_RE = re.compile(r"^(?:CN|ZL)?(\d{8}|\d{12})(?:\.?([0-9X]))?$")


def normalize_application_number(raw: str, *, country: str = "") -> str:
    """A compact application number; CN numbers as ``CN202110123456.7``.

    CN numbers given without their check digit (Lens writes ``CN 200810171280 A``)
    get it computed; a CN number whose check digit is wrong is rejected, since
    it means the number was mistyped.
    """
    from .validators import cn_application_check_digit

    text = clean_text(raw).upper()
    if not text:
        return ""
    compact = re.sub(r"[\s\-_/]", "", text)
    pct = _PCT_RE.match(compact)
    if pct:
        # International (PCT) application, Lens style "CN 2006001293 W".
        office, digits = pct.groups()
        split = 4 if len(digits) >= 10 else 2
        return f"PCT/{office}{digits[:split]}/{digits[split:]}"
    if (
        country == "CN"
        or compact.startswith(("CN", "ZL"))
        or (not country and compact[:1].isdigit())
    ):
        # Lens appends the application kind letter: "CN 200810171280 A".
        candidate = re.sub(r"(?<=\d)[A-W]$", "", compact)
        match = _CN_APP_DIGITS_RE.match(candidate)
        if match:
            digits, check = match.groups()
            expected = cn_application_check_digit(digits)
            if check and check != expected:
                raise ValueError(
                    _("application number %(value)s: the check digit should be %(check)s")
                    % {"value": raw.strip()[:40], "check": expected}
                )
            return f"CN{digits}.{expected}"
        if country == "CN":
            raise ValueError(
                _("malformed CN application number %(value)r") % {"value": raw.strip()[:40]}
            )
    # Other offices: keep the number as recorded, without the trailing kind letter.
    return re.sub(r"(?<=\d)[A-Z]$", "", compact)[:32]


# --- Legal status ----------------------------------------------------------------

# Words patent databases use, most specific first (失效 before 有效).
_LEGAL_STATUS_WORDS = (
    ("withdrawn", ("撤回", "WITHDRAWN", "ABANDON")),
    ("rejected", ("驳回", "REJECT", "REFUSED")),
    (
        "lapsed",
        (
            "失效",
            "终止",
            "届满",
            "未缴年费",
            "放弃",
            "无效",
            "LAPSE",
            "EXPIRED",
            "CEASED",
            "INACTIVE",
        ),
    ),
    ("granted", ("有效", "授权", "GRANTED", "ACTIVE", "IN FORCE")),
    ("pending", ("审中", "实质审查", "公开", "PENDING", "EXAMINATION", "PUBLISHED")),
)


def legal_status_from_text(raw: str) -> str:
    """``LegalStatus`` value for what a database export writes (有效, 失效, Pending …)."""
    text = clean_text(raw).upper()
    if not text:
        return "unknown"
    for status, words in _LEGAL_STATUS_WORDS:
        if any(word in text for word in words):
            return status
    return "unknown"


def legal_status_from_dates(
    *,
    granted: bool,
    application_date: dt.date | None,
    grant_date: dt.date | None = None,
    today: dt.date | None = None,
) -> str:
    """Status when a source records no legal events, only what was published.

    A patent is in force at most 20 years from filing (from grant when the filing
    date is unknown, which only errs towards "in force"). Without a grant we
    cannot tell a pending application from an abandoned one: ``unknown``,
    unless 20 years have passed since filing.
    """
    today = today or dt.date.today()
    start = application_date or (grant_date if granted else None)
    expired = start is not None and _add_years(start, 20) <= today
    if expired:
        return "lapsed"
    return "granted" if granted else "unknown"


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- Cells ---------------------------------------------------------------------


def unquote_cell(text: str) -> str:
    """Undo a second layer of CSV quoting some exports leave in cells:
    ``"\"\"Barometer\"\" neuron"`` becomes ``"Barometer" neuron``."""
    text = text.strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1].replace('""', '"').strip()
    return text


_NAME_SUFFIXES = frozenset({"JR", "JR.", "SR", "SR.", "II", "III", "IV", "ESQ", "ESQ."})


def split_names(raw: str) -> list[str]:
    """Split a multi-valued name cell on ``|``, ``;``, ``；``, ``,``, ``，`` or ``、``.

    ``Robert W. Thompson, Jr.`` stays one name: a generational suffix is glued
    back to the name before it.
    """
    text = raw.strip()
    if not text:
        return []
    separator = "|" if "|" in text else None
    if separator is None:
        for candidate in (";", "；", "、", "，", ","):
            if candidate in text:
                separator = candidate
                break
    parts = [p.strip() for p in (text.split(separator) if separator else [text])]
    names: list[str] = []
    for part in parts:
        if not part:
            continue
        if names and part.upper() in _NAME_SUFFIXES:
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names


def clean_prose(raw: str) -> str:
    """Titles, abstracts and names as recorded: HTML entities unescaped, NFC, trimmed.

    Unlike ``clean_text`` no NFKC: Chinese text keeps its full-width punctuation
    (，（）) exactly as the office published it.
    """
    text = html.unescape(raw) if "&" in raw else raw
    return unicodedata.normalize("NFC", text).strip()


# --- Locarno (design) classes ---------------------------------------------------

# A Locarno class and subclass, ``02-02`` or ``2-2``; CNIPA writes it in the
# main-classification column of design patents, sometimes followed by the
# product's number in the Locarno list of goods (``09-01-B0367``).
_LOCARNO_RE = re.compile(r"^(\d{1,2})-(\d{1,2})(?:-[A-Z]\d{4})?$")


def locarno_code(raw: str) -> str | None:
    """``02-02`` for a Locarno code (``2-2``, ``02－02``), None for anything else."""
    match = _LOCARNO_RE.match(clean_text(raw).replace(" ", ""))
    if not match:
        return None
    return f"{int(match.group(1)):02d}-{int(match.group(2)):02d}"


# --- CN application numbers: the patent type they encode ------------------------------


def cn_application_type(application_number: str) -> str | None:
    """Invention, utility model or design from a CN application number's type digit.

    Since 2004 the 5th digit of the 12 gives the type; before, the 3rd of the 8
    (1 invention, 2 utility model, 3 design; 8 and 9 are PCT entries of 1 and 2).
    """
    match = _CN_APP_DIGITS_RE.match(application_number.replace(".", ""))
    if not match:
        return None
    digits = match.group(1)
    digit = digits[4] if len(digits) == 12 else digits[2]
    return {
        "1": PatentType.INVENTION,
        "8": PatentType.INVENTION,
        "2": PatentType.UTILITY_MODEL,
        "9": PatentType.UTILITY_MODEL,
        "3": PatentType.DESIGN,
    }.get(digit)


# --- Legal events: changes of rights ------------------------------------------------

# Most specific first: a cancelled pledge before a pledge.
_LEGAL_EVENT_WORDS = (
    (
        "pledge_released",
        (
            "质押注销",
            "质押解除",
            "质押合同登记的注销",
            "CANCELLATION OF THE REGISTRATION OF THE CONTRACT FOR PLEDGE",
        ),
    ),
    ("pledge", ("质押", "PLEDGE")),
    ("preservation_released", ("解除保全", "保全解除", "DISCHARGE OF PRESERVATION")),
    ("preservation", ("保全", "PRESERVATION")),
    ("licence", ("许可", "LICENSING CONTRACT", "LICENCE", "LICENSE")),
    (
        "transfer",
        ("转移", "转让", "TRANSFER OF PATENT", "ASSIGNMENT OF PATENT"),
    ),
)


def legal_event_kind(raw: str) -> str | None:
    """``PatentLegalEvent.Kind`` of a legal-status entry, or None if it is no change of rights.

    Understands CNIPA's Chinese wording (专利申请权、专利权的转移, 专利实施许可合同备案的生效,
    专利权质押合同登记的生效 …), PatSnap's tags (权利转移, 质押, 许可, 保全) and
    INPADOC's English (TRANSFER OF PATENT RIGHT, … PLEDGE OF PATENT RIGHT).
    """
    text = clean_text(raw).upper()
    if not text:
        return None
    for kind, words in _LEGAL_EVENT_WORDS:
        if any(word in text for word in words):
            return kind
    return None
