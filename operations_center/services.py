"""Writes and domain rules of operations_center."""
