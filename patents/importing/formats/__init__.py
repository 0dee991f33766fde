"""One parser per file format. Each exposes ``parse(source, options)`` yielding
``PatentRecord`` or ``RowError``, and a ``DATASET`` label for provenance."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from typing import Any

from ..records import PatentRecord, RowError
from ..source import ImportSource

Parser = Callable[[ImportSource, dict[str, Any]], Iterator[PatentRecord | RowError]]

# format name → module under formats/
FORMAT_MODULES = {
    "lens": "lens",
    "patentsview": "patentsview",
    "cn-title-ipc": "cn_title_ipc",
    "google-patents": "google_patents",
    "table": "table",
    "cnipa": "cnipa",
    "patsnap": "patsnap",
}


def get_parser(name: str) -> tuple[Parser, str]:
    """(parse function, default dataset label) for a format name."""
    if name not in FORMAT_MODULES:
        raise ValueError(
            f"unknown format {name!r}; choose one of: {', '.join(sorted(FORMAT_MODULES))}"
        )
    module = import_module(f"{__name__}.{FORMAT_MODULES[name]}")
    return module.parse, module.DATASET
