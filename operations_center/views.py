"""Views of operations_center."""
