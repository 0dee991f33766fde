from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Technology needs and matching")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check)
