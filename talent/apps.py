from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Talent")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (supply items follow listings and open licences)
