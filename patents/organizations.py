"""What an applicant is and where it is, from the words a patent record gives.

Both functions run once per *new* organization during imports (the writer
caches known ones), so they may use in-memory tables but never a query per
call: the region table (3,300 rows) and the Ministry of Education university
list are loaded once per process.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .models import Organization, Region

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
UNIVERSITY_LIST = DATA_DIR / "cn_universities" / "moe_higher_education_institutions_2017.csv"

Kind = Organization.Kind

# Order matters: a 研究院 of a 大学 is the university's; a 公司 owned by a
# 研究院 (…研究院有限公司) is an enterprise.
_ENTERPRISE_MARKERS = re.compile(
    r"(公司|企业|集团|厂|株式会社|合作社|事务所|商行|中心有限|"
    r"\b(CORP|CORPORATION|INC|LTD|LLC|LLP|GMBH|AG|SA|SAS|SPA|BV|NV|PLC|CO|KK|KG|AB|OY|AS)\b)",
    re.IGNORECASE,
)
_UNIVERSITY_MARKERS = re.compile(
    r"(大学|学院|学校|\b(UNIV|UNIVERSITY|UNIVERSITE|UNIVERSITAT|COLLEGE|SCHOOL)\b)",
    re.IGNORECASE,
)
_INSTITUTE_MARKERS = re.compile(
    r"(研究院|研究所|研究中心|科学院|实验室|设计院|医院|"
    r"\b(INST|INSTITUTE|INSTITUT|ACADEMY|ACAD|LAB|LABORATORY|LABORATORIES|HOSPITAL|"
    r"CENTRE|CENTER|FOUNDATION|COUNCIL|CNRS|INSERM)\b)",
    re.IGNORECASE,
)
_GOVERNMENT_MARKERS = re.compile(
    r"(人民政府|管理局|委员会|办公室|部$|厅$|局$|\b(GOVERNMENT|MINISTRY|DEPARTMENT|SECRETARY|"
    r"ADMINISTRATION|AGENCY|NAVY|ARMY)\b|UNITED STATES OF AMERICA)",
    re.IGNORECASE,
)
_CJK_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_LATIN_PERSON = re.compile(r"^[A-Za-z][A-Za-z'\-]*( [A-Za-z][A-Za-z'.\-]*){1,3}$")


@lru_cache(maxsize=100_000)
def infer_organization_kind(name: str) -> str:
    """Enterprise / university / institute / government / individual from the name."""
    text = name.strip()
    if not text:
        return Kind.UNKNOWN
    if _ENTERPRISE_MARKERS.search(text) and not text.endswith(("大学", "学院")):
        return Kind.ENTERPRISE
    if _UNIVERSITY_MARKERS.search(text) or text in _university_regions():
        return Kind.UNIVERSITY
    if _INSTITUTE_MARKERS.search(text):
        return Kind.INSTITUTE
    if _GOVERNMENT_MARKERS.search(text):
        return Kind.GOVERNMENT
    if _CJK_PERSON.match(text) or (text.isupper() is False and _LATIN_PERSON.match(text)):
        return Kind.INDIVIDUAL
    return Kind.UNKNOWN


# --- Regions ---------------------------------------------------------------------

_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "地区",
    "省",
    "市",
    "盟",
    "县",
    "区",
    "旗",
)


def short_region_name(name: str) -> str:
    """济南市 → 济南, 广西壮族自治区 → 广西, 历下区 → 历下 (but 市辖区 stays)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True, slots=True)
class _RegionIndex:
    # name or short name → codes of regions with that name, per level
    provinces: dict[str, str]
    cities: dict[str, list[str]]
    counties: dict[str, list[str]]
    max_len: int


@cache
def _region_index() -> _RegionIndex:
    provinces: dict[str, str] = {}
    cities: dict[str, list[str]] = {}
    counties: dict[str, list[str]] = {}
    for code, name, short, level in Region.objects.values_list(
        "code", "name", "short_name", "level"
    ):
        names = {name, short} - {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
        names = {n for n in names if len(n) >= 2}
        for n in names:
            if level == Region.Level.PROVINCE:
                provinces[n] = code
            elif level == Region.Level.CITY:
                cities.setdefault(n, []).append(code)
            else:
                counties.setdefault(n, []).append(code)
    longest = max((len(n) for d in (provinces, cities, counties) for n in d), default=0)
    return _RegionIndex(provinces, cities, counties, longest)


def reset_region_index() -> None:
    """Forget the cached tables (after ``load_regions`` or in tests)."""
    _region_index.cache_clear()
    resolve_region_code.cache_clear()
    # Both read the region table through the index.
    _university_regions.cache_clear()
    infer_organization_kind.cache_clear()


def _scan(text: str, table: dict, max_len: int, limit: int = 40, start: int = 0):
    """Yield (position, name, value) for every table name found in the text's head."""
    head = text[:limit]
    for i in range(start, len(head)):
        for length in range(min(max_len, len(head) - i), 1, -1):
            value = table.get(head[i : i + length])
            if value is not None:
                yield i, head[i : i + length], value
                break


@lru_cache(maxsize=200_000)
def resolve_region_code(*, name: str, address: str = "", country: str = "") -> str | None:
    """The most specific region code an address (else the name) points to, or None.

    An address is read in order province → city → county, each step narrowed
    by the one before, so 朝阳区 in a Beijing address is Beijing's and never
    Liaoning's 朝阳市. A name alone (山东大学, 青岛海尔…) resolves only to a
    province or city, or to a county whose name is unique nationwide.
    """
    if country and country != "CN":
        return None
    index = _region_index()
    if not index.max_len:
        return None
    if address:
        code = _resolve_text(address, index, True)
        if code:
            return code
    code = _resolve_text(name, index, False) if name else None
    # A listed institution's registered city beats what its name suggests: the
    # province in 山东大学, or 青岛 in 青岛农业大学海都学院 (which is in 烟台).
    university = _university_regions().get(name.strip())
    if university and not (code and code != university and _contains(university, code)):
        return university
    return code


def _contains(outer: str, inner: str) -> bool:
    """Whether region ``outer`` contains region ``inner`` (or is it)."""
    if outer.endswith("0000"):
        return inner[:2] == outer[:2]
    if outer.endswith("00"):
        return inner[:4] == outer[:4]
    return inner == outer


def _resolve_text(text: str, index: _RegionIndex, allow_ambiguous_county: bool) -> str | None:
    # Each level is read after the one before it, so the 吉林 of 吉林省 is never
    # taken for the city 吉林市 in "吉林省长春市…".
    province, after = None, 0
    for i, name, code in _scan(text, index.provinces, index.max_len):
        province, after = code, i + len(name)
        break
    prefix = province[:2] if province else ""
    city = None
    for i, name, codes in _scan(text, index.cities, index.max_len, start=after):
        candidates = [c for c in codes if c.startswith(prefix)]
        if len(candidates) == 1:
            city, after = candidates[0], i + len(name)
            break
    narrowed = city[:4] if city else prefix
    for _i, _n, codes in _scan(text, index.counties, index.max_len, start=after):
        candidates = [c for c in codes if c.startswith(narrowed)]
        if len(candidates) == 1 and (narrowed or allow_ambiguous_county or len(codes) == 1):
            return candidates[0]
    return city or province


@cache
def _university_regions() -> dict[str, str | None]:
    """MOE-listed institution name → its city's region code (via 所在地)."""
    if not UNIVERSITY_LIST.exists():
        return {}
    index = _region_index()
    result: dict[str, str | None] = {}
    with UNIVERSITY_LIST.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            province_prefix = row["moe_code"][2:4]
            city = None
            for _i, _n, codes in _scan(row["location_city"], index.cities, index.max_len):
                candidates = [c for c in codes if c.startswith(province_prefix)]
                if len(candidates) == 1:
                    city = candidates[0]
                    break
            result[row["name"]] = city or (
                province_prefix + "0000" if province_prefix.isdigit() else None
            )
    return result
