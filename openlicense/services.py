"""Writes and domain rules of openlicense."""
