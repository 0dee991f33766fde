"""Fetch partner markets' feeds over HTTP now (the beat task does it on a schedule)."""

from django.core.management.base import BaseCommand, CommandError

from trading.models import PartnerMarket
from trading.services.partner_fetch import partner_feed_fetch


class Command(BaseCommand):
    help = "Fetch and import partner technology markets' feeds over HTTP."

    def add_arguments(self, parser):
        parser.add_argument("--market", help="one partner market code (default: every active one)")

    def handle(self, *args, market=None, **options):
        markets = PartnerMarket.objects.filter(active=True).exclude(feed_url="")
        if market:
            markets = PartnerMarket.objects.filter(code=market)
            if not markets.exists():
                raise CommandError(f"No partner market with code {market!r}; add it in the admin.")
        for partner in markets:
            run = partner_feed_fetch(market=partner)
            self.stdout.write(
                f"{partner.code}: created {run.created}, updated {run.updated}, "
                f"unchanged {run.unchanged}, errors {len(run.errors)}"
            )
            for error in run.errors:
                self.stdout.write(f"  {error['section']} #{error['item']}: {error['reason']}")
