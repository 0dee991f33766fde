"""Reads of alliances."""
