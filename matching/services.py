"""Writes and domain rules of matching."""
