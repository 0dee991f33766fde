"""Celery tasks of openlicense: thin wrappers over services."""
