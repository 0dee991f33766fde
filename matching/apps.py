from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Technology needs and matching")

    def ready(self) -> None:
        # Fill Celery's task registry: services enqueue these by name
        # (portal.background.task_enqueue) instead of importing them.
        from . import checks  # noqa: F401  (registers the deploy check)
        from . import tasks as _tasks  # noqa: F401
