from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenlicenseConfig(AppConfig):
    name = "openlicense"
    verbose_name = _("Open licence")

    def ready(self) -> None:
        # trading cannot import openlicense (dependency order); it asks us
        # through a guard whether an exclusive or sole licence is allowed.
        from trading.services import register_deal_guard

        from .services.guards import open_licence_blocks_exclusive

        register_deal_guard(open_licence_blocks_exclusive)
