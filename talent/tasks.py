"""Celery tasks of talent: thin wrappers over services."""
