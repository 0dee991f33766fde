"""Reads of trading."""
