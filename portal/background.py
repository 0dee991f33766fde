"""How a service enqueues background work: by the task's registered name.

A service enqueues its task after commit, and the task (an entry point) calls
the service back; importing the ``tasks`` module from the service would make
an import cycle. So each app's ``AppConfig.ready`` imports its tasks (filling
Celery's task registry), and services name the task they want::

    task_enqueue("matching.tasks.need_tag_task", need_id=need.pk)

Tasks take keyword arguments only.
"""

from __future__ import annotations

from django.db import transaction


def task_enqueue(name: str, *, countdown: float | None = None, **kwargs) -> None:
    """Send the registered task ``name`` with ``kwargs`` once the current
    transaction commits (at once outside a transaction), ``countdown`` seconds
    later if given (a retry's backoff)."""

    def send() -> None:
        from celery import current_app

        task = current_app.tasks[name]
        if countdown is None:
            task.delay(**kwargs)
        else:
            task.apply_async(kwargs=kwargs, countdown=countdown)

    transaction.on_commit(send)
