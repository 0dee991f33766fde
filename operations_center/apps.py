from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsCenterConfig(AppConfig):
    name = "operations_center"
    verbose_name = _("Industry IP operations")
