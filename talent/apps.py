from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Talent")

    def ready(self) -> None:
        from patents.hooks import after_import_register

        from . import signals  # noqa: F401  (supply items follow listings and open licences)
        from .tasks import resolve_after_import

        # The inventor mentions of every import are resolved into talents.
        after_import_register(resolve_after_import)
