from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsCenterConfig(AppConfig):
    name = "operations_center"
    verbose_name = _("Industry IP operations")

    def ready(self) -> None:
        from patents.hooks import after_import_register

        from .tasks import chains_tag_after_import

        # New and changed patents are tagged to every chain after each import.
        after_import_register(chains_tag_after_import)
