"""Signals of the patents app, for the apps above it (patents imports none of them).

``patents_imported``: an import wrote patent records (and their inventor mentions).
Sent after the writer finished, with ``created`` and ``updated`` counts; receivers
that do follow-up work (talent's resolution of new inventor mentions) must defer it
to ``transaction.on_commit`` and never break the import.
"""

from __future__ import annotations

from django.dispatch import Signal

patents_imported = Signal()
