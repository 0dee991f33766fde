"""Models of operations_center: added by the issue that builds this app."""
