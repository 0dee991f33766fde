from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("KPI reporting")

    def ready(self) -> None:
        # Fill Celery's task registry: services enqueue these by name
        # (portal.background.task_enqueue) instead of importing them.
        from . import tasks as _tasks  # noqa: F401
