"""Models of openlicense: added by the issue that builds this app."""
