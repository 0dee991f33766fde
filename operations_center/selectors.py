"""Reads of operations_center."""
