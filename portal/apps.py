from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (registers checks and receivers)
        from .role_permissions import role_permissions_sync

        # Not limited to sender=self: permissions of apps listed after portal exist
        # only once their own post_migrate ran, so sync after each app.
        post_migrate.connect(role_permissions_sync, dispatch_uid="portal_role_perms")
