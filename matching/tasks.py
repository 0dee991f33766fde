"""Celery tasks of matching: thin wrappers over services."""
