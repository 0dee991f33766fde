"""Loading the reference tables: the IPC scheme and Chinese administrative divisions.

Both loads are bulk upserts keyed by code, so running them again updates titles
and names in place and never duplicates a row.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterator
from pathlib import Path

from django.db import transaction

from ..models import IPCCode, Region
from ..normalize import normalize_classification
from ..organizations import reset_region_index, short_region_name

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
IPC_DIR = DATA_DIR / "ipc_scheme_zh"
REGION_DIR = DATA_DIR / "cn_admin_divisions"

_IPC_LEVELS = {
    "section": IPCCode.Level.SECTION,
    "class": IPCCode.Level.CLASS,
    "subclass": IPCCode.Level.SUBCLASS,
    "main_group": IPCCode.Level.MAIN_GROUP,
    "subgroup": IPCCode.Level.SUBGROUP,
}
# The Chinese scheme was extracted from PDFs, which left spaces inside words
# ("用于 播种"): a space between two CJK characters or CJK punctuation is an artefact.
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_PDF_SPACE = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")
_BATCH = 5000


def _open_csv(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw, io.TextIOWrapper(raw, "utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def _ipc_rows(folder: Path) -> Iterator[IPCCode]:
    english: dict[str, tuple[str, str]] = {}
    bilingual = folder / "ipc_bilingual_section_class_subclass.csv"
    if bilingual.exists():
        for row in _open_csv(bilingual):
            english[row["code"].strip()] = (row["level"].strip(), row["title_en"].strip())
    scheme = next(
        p for p in (folder / "ipc_2026_01_zh.csv.gz", folder / "ipc_2026_01_zh.csv") if p.exists()
    )
    seen: set[str] = set()
    for row in _open_csv(scheme):
        code = normalize_classification(row["code"])
        seen.add(code)
        yield IPCCode(
            code=code,
            level=_IPC_LEVELS[row["level"].strip()],
            parent_id=row["parent_code"].strip() or None,
            title_zh=_PDF_SPACE.sub("", row["title_zh"].strip()),
            title_en=english.get(code, ("", ""))[1],
        )
    # Subclasses the Chinese edition lacks (C01, C09D …) still get their English title.
    for code, (level, title_en) in english.items():
        if code not in seen and level in _IPC_LEVELS:
            yield IPCCode(
                code=code,
                level=_IPC_LEVELS[level],
                parent_id=code[:-1] if len(code) == 4 else (code[0] if len(code) == 3 else None),
                title_zh="",
                title_en=title_en,
            )


def ipc_scheme_load(*, folder: Path = IPC_DIR) -> int:
    """Upsert the IPC scheme from ``folder``; returns the number of codes."""
    count = 0
    batch: list[IPCCode] = []
    with transaction.atomic():
        for code in _ipc_rows(folder):
            batch.append(code)
            if len(batch) >= _BATCH:
                count += _upsert(IPCCode, batch, ["level", "parent", "title_zh", "title_en"])
        count += _upsert(IPCCode, batch, ["level", "parent", "title_zh", "title_en"])
    return count


# Hong Kong, Macao and Taiwan are not in the NBS statistical tables; their
# province-level GB/T 2260 codes are added so addresses there resolve.
_EXTRA_PROVINCES = (
    ("710000", "台湾省"),
    ("810000", "香港特别行政区"),
    ("820000", "澳门特别行政区"),
)


def regions_load(*, folder: Path = REGION_DIR) -> int:
    """Upsert provinces, cities and counties (GB/T 2260 six-digit codes)."""
    provinces = [
        Region(code=r["code"] + "0000", name=r["name"], level=Region.Level.PROVINCE)
        for r in _open_csv(folder / "provinces.csv")
    ]
    provinces += [Region(code=c, name=n, level=Region.Level.PROVINCE) for c, n in _EXTRA_PROVINCES]
    cities = [
        Region(
            code=r["code"] + "00",
            name=r["name"],
            level=Region.Level.CITY,
            parent_id=r["provinceCode"] + "0000",
        )
        for r in _open_csv(folder / "cities.csv")
    ]
    counties = [
        Region(
            code=r["code"],
            name=r["name"],
            level=Region.Level.COUNTY,
            parent_id=r["cityCode"] + "00",
        )
        for r in _open_csv(folder / "areas.csv")
        # Cities without counties (东莞, 中山, 儋州) repeat themselves as an area.
        if r["code"] != r["cityCode"] + "00"
    ]
    count = 0
    with transaction.atomic():
        # Parents first: the foreign key is enforced.
        for level in (provinces, cities, counties):
            for region in level:
                region.short_name = short_region_name(region.name)
            count += _upsert(Region, level, ["name", "short_name", "level", "parent"])
    reset_region_index()
    return count


def _upsert(model, batch: list, fields: list[str]) -> int:
    if not batch:
        return 0
    model.objects.bulk_create(
        batch, batch_size=1000, update_conflicts=True, unique_fields=["code"], update_fields=fields
    )
    count = len(batch)
    batch.clear()
    return count
