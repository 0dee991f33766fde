from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenlicenseConfig(AppConfig):
    name = "openlicense"
    verbose_name = _("Open licence")
