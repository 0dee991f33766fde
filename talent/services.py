"""Writes and domain rules of talent."""
