"""Import a partner market's feed file: ``{"listings": [...], "deals": [...]}``."""

import json

from django.core.management.base import BaseCommand, CommandError

from trading.models import PartnerMarket
from trading.services.partner import partner_feed_import


class Command(BaseCommand):
    help = "Import listings and deals from a partner technology market's feed (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--market", required=True, help="partner market code")

    def handle(self, *args, file, market, **options):
        partner = PartnerMarket.objects.filter(code=market).first()
        if partner is None:
            raise CommandError(f"No partner market with code {market!r}; add it in the admin.")
        try:
            with open(file, encoding="utf-8") as fh:
                payload = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        run = partner_feed_import(market=partner, payload=payload)
        self.stdout.write(
            f"created {run.created}, updated {run.updated}, unchanged {run.unchanged}, "
            f"errors {len(run.errors)}"
        )
        for error in run.errors:
            self.stdout.write(f"  {error['section']} #{error['item']}: {error['reason']}")
