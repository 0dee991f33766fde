"""Writes and domain rules of reporting."""
