"""Celery tasks of reporting: thin wrappers over services."""
