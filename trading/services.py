"""Writes and domain rules of trading."""
