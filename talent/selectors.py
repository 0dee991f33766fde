"""Reads of talent."""
