"""Writes and domain rules of operations_center (one module per concern)."""
