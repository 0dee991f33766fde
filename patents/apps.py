from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatentsConfig(AppConfig):
    name = "patents"
    verbose_name = _("Patents")

    def ready(self) -> None:
        # Fill Celery's task registry: services enqueue these by name
        # (portal.background.task_enqueue) instead of importing them.
        from . import tasks as _tasks  # noqa: F401
        from .search import tasks as _search_tasks  # noqa: F401
