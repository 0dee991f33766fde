"""Reads of reporting."""
