"""Receivers of talent: keep the supply directory in step with listings and open licences.

talent sits above trading and openlicense, so it listens to their model saves;
they never import talent. Work runs after the commit, on fresh rows, and is idempotent.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from openlicense.models import Declaration
from trading.models import Listing

log = logging.getLogger(__name__)


def _after_commit(fn, model, pk: int) -> None:
    def run() -> None:
        obj = model.objects.filter(pk=pk).first()
        if obj is None:
            return
        try:
            fn(**{model.__name__.lower(): obj})
        except Exception:  # a directory refresh must never break a listing's workflow
            log.exception("supply item sync failed for %s %s", model.__name__, pk)

    transaction.on_commit(run)


@receiver(post_save, sender=Listing, dispatch_uid="talent_supply_from_listing")
def listing_saved(sender, instance: Listing, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    from .services.supply_feed import supply_items_sync_listing

    _after_commit(supply_items_sync_listing, Listing, instance.pk)


@receiver(post_save, sender=Declaration, dispatch_uid="talent_supply_from_declaration")
def declaration_saved(sender, instance: Declaration, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    from .services.supply_feed import supply_items_sync_declaration

    _after_commit(supply_items_sync_declaration, Declaration, instance.pk)
