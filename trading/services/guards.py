"""Rules other apps add to deals without trading importing them.

``openlicense`` sits to the right of ``trading`` in the dependency order, yet
an open licence in force must stop an exclusive or sole licence. It registers
a guard here at start-up (``OpenlicenseConfig.ready``); ``deal_create`` and
``deal_sign`` run every guard and refuse the deal if one objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

# guard(kind=..., patent_ids=..., on=...) -> message to refuse with, or None
DealGuard = Callable[..., str | None]
_GUARDS: list[DealGuard] = []


def register_deal_guard(guard: DealGuard) -> None:
    if guard not in _GUARDS:
        _GUARDS.append(guard)


def deal_guard_messages(*, kind: str, patent_ids: Iterable[int], on: dt.date) -> list[str]:
    ids = list(patent_ids)
    messages = []
    for guard in _GUARDS:
        message = guard(kind=kind, patent_ids=ids, on=on)
        if message:
            messages.append(str(message))
    return messages
