"""Admin registrations of operations_center."""
