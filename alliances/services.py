"""Writes and domain rules of alliances."""
