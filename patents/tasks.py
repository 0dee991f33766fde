"""Celery tasks of the patents app: thin wrappers over services."""

from celery import shared_task

from .services import import_job_execute


@shared_task(acks_late=True, name="patents.import_job_run")
def import_job_run(*, job_id: int) -> str:
    return import_job_execute(job_id=job_id).status
