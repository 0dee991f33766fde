"""Celery tasks of operations_center: thin wrappers over services."""
