"""Celery tasks of trading: thin wrappers over services."""
