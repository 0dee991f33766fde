"""Celery tasks of alliances: thin wrappers over services."""
