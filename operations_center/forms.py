"""Forms of operations_center."""
