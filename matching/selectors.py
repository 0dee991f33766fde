"""Reads of matching."""
