"""Reads of openlicense."""
