"""Training examples for the IPC predictor, read from the shipped real data.

* ``data/cn_patents_zh/cn_patent_titles_ipc_subclasses.csv`` — 7,798 Chinese
  titles with every examiner-assigned IPC subclass (4 CV folds).
* ``data/us_patents_patentsview_nvidia`` — US titles with CPC
  subclasses (a CPC subclass is the IPC subclass of the same symbol).
* ``data/ipc_scheme_zh/ipc_bilingual_section_class_subclass.csv`` — the
  official Chinese and English subclass titles, one example per subclass, so
  that classes absent from the patents can still be predicted.
* ``../shared/data/cn_patents_shandong_taian`` and the CN rows of
  ``../shared/data/cn_patents_patsnap_aviation`` — Chinese title + abstract with
  the examiner's main IPC (``abstract_examples``), when the shared data is present.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

_PAREN_RE = re.compile(r"[（(][^）)]*[）)]")


def data_dir() -> Path:
    return Path(settings.BASE_DIR) / "data"


def shared_data_dir() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "data"


def open_csv(path: Path):
    """Open ``path`` or, when only the compressed copy is shipped, ``path.gz``."""
    if path.exists():
        return path.open(encoding="utf-8", newline="")
    return gzip.open(path.with_name(path.name + ".gz"), "rt", encoding="utf-8", newline="")


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    labels: tuple[str, ...]
    source: str  # "cn_title", "us_patent", "ipc_title"
    fold: int = 0  # CV fold of the CN titles (1–4); 0 for the rest


def cn_title_examples() -> list[Example]:
    path = data_dir() / "cn_patents_zh" / "cn_patent_titles_ipc_subclasses.csv"
    with path.open(encoding="utf-8") as handle:
        return [
            Example(
                text=row["title_zh"],
                labels=tuple(c for c in row["ipc_subclasses"].split("|") if c),
                source="cn_title",
                fold=int(row["cv_fold"]),
            )
            for row in csv.DictReader(handle)
        ]


def us_patent_examples(*, max_chars: int = 0) -> list[Example]:
    """US titles (plus ``max_chars`` of abstract when > 0; titles alone keep the fit fast)."""
    base = data_dir() / "us_patents_patentsview_nvidia"
    subclasses: dict[str, list[str]] = defaultdict(list)
    with open_csv(base / "nvidia_cpc.csv") as handle:
        for row in csv.DictReader(handle):
            code = row["cpc_subclass"]
            if code and code not in subclasses[row["patent_id"]] and not code.startswith("Y"):
                subclasses[row["patent_id"]].append(code)
    abstracts: dict[str, str] = {}
    with open_csv(base / "nvidia_patent_abstract.csv") as handle:
        for row in csv.DictReader(handle):
            abstracts[row["patent_id"]] = row["patent_abstract"]
    examples = []
    with open_csv(base / "nvidia_patent.csv") as handle:
        for row in csv.DictReader(handle):
            labels = subclasses.get(row["patent_id"])
            if labels:
                text = row["patent_title"]
                if max_chars:
                    text = f"{text}. {abstracts.get(row['patent_id'], '')}"[:max_chars]
                examples.append(Example(text=text, labels=tuple(labels), source="us_patent"))
    return examples


def us_main_group_examples() -> tuple[list[str], list[str]]:
    """(title + abstract, main CPC group) of the shipped US patents, for the group head."""
    base = data_dir() / "us_patents_patentsview_nvidia"
    main: dict[str, str] = {}
    with open_csv(base / "nvidia_cpc.csv") as handle:
        for row in csv.DictReader(handle):
            if row["cpc_sequence"] == "0":
                main[row["patent_id"]] = row["cpc_group"]
    abstracts: dict[str, str] = {}
    with open_csv(base / "nvidia_patent_abstract.csv") as handle:
        for row in csv.DictReader(handle):
            abstracts[row["patent_id"]] = row["patent_abstract"]
    texts, codes = [], []
    with open_csv(base / "nvidia_patent.csv") as handle:
        for row in csv.DictReader(handle):
            pid = row["patent_id"]
            if pid in main and pid in abstracts:
                texts.append(f"{row['patent_title']}. {abstracts[pid]}")
                codes.append(main[pid])
    return texts, codes


def ipc_title_examples() -> list[Example]:
    path = data_dir() / "ipc_scheme_zh" / "ipc_bilingual_section_class_subclass.csv"
    examples = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] != "subclass":
                continue
            for title in (row["title_zh"], row["title_en"].lower()):
                text = _PAREN_RE.sub("", title).replace(
                    " ", "" if title is row["title_zh"] else " "
                )
                if text.strip():
                    examples.append(Example(text=text, labels=(row["code"],), source="ipc_title"))
    return examples


@dataclass(frozen=True, slots=True)
class KeyedExample:
    """A title + abstract example and the application it came from (for CV folds)."""

    key: str
    example: Example
    applicant: str = ""


_SUBCLASS_RE = re.compile(r"^[A-H]\d{2}[A-Z]")


def abstract_examples() -> list[KeyedExample]:
    """Chinese title + abstract with the examiner's main IPC subclass.

    Tai'an records (design patents' Locarno codes dropped) and PatSnap CN rows
    (A and B publications of one application kept once). Empty when the shared
    data is absent.
    """
    base = shared_data_dir()
    out: list[KeyedExample] = []
    taian = base / "cn_patents_shandong_taian" / "taian_patents.csv"
    if taian.exists():
        with taian.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["main_ipc"].replace(" ", "")[:4]
                if row["ipc_is_locarno"] == "True" or not _SUBCLASS_RE.match(code):
                    continue
                out.append(
                    KeyedExample(
                        key=row["application_number"],
                        example=Example(
                            text=f"{row['title']}。{row['abstract']}",
                            labels=(code,),
                            source="cn_abstract",
                        ),
                        applicant=row["applicant"].strip(),
                    )
                )
    patsnap = base / "cn_patents_patsnap_aviation" / "patsnap_export_CN_only.csv"
    if patsnap.exists():
        seen: set[tuple[str, str]] = set()
        with patsnap.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                title = row["标题(译)(简体中文)"].strip()
                code = row["IPC主分类号"].replace(" ", "")[:4]
                twin = (row["申请日"], title)
                if twin in seen or not _SUBCLASS_RE.match(code):
                    continue
                seen.add(twin)
                out.append(
                    KeyedExample(
                        key=f"{row['申请日']}|{title}",
                        example=Example(
                            text=f"{title}。{row['摘要(译)(简体中文)'].strip()}",
                            labels=(code,),
                            source="cn_abstract",
                        ),
                        applicant=row["[标]原始申请(专利权)人"].split("|")[0].strip(),
                    )
                )
    return out


def ipc_group_title_examples() -> list[Example]:
    """Chinese main-group titles of the 2026.01 scheme, one example per main group."""
    examples = []
    with open_csv(data_dir() / "ipc_scheme_zh" / "ipc_2026_01_zh.csv") as handle:
        for row in csv.DictReader(handle):
            if row["level"] != "main_group":
                continue
            text = _PAREN_RE.sub("", row["title_zh"]).replace(" ", "")
            if text.strip():
                examples.append(
                    Example(text=text, labels=(row["code"][:4],), source="ipc_group_title")
                )
    return examples


def all_examples() -> list[Example]:
    return (
        cn_title_examples()
        + us_patent_examples()
        + ipc_title_examples()
        + [k.example for k in abstract_examples()]
    )
