"""What higher apps do after an import, registered in their ``AppConfig.ready``.

``patents`` is the lowest app and imports none above it; an app that must
follow new patents (chain tagging, talent resolution) registers a callable
here. Each runs once the import's rows are committed, with the outcome, and
must only enqueue work (idempotent tasks), never do it inline.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

AfterImport = Callable[..., None]

_after_import: list[AfterImport] = []


def after_import_register(hook: AfterImport) -> None:
    """Call ``hook(outcome=...)`` after every import that created or updated patents."""
    if hook not in _after_import:
        _after_import.append(hook)


def after_import_run(*, outcome) -> None:
    if not (outcome.created or outcome.updated):
        return
    for hook in list(_after_import):
        transaction.on_commit(lambda hook=hook: hook(outcome=outcome))
