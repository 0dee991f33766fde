"""Models of reporting: added by the issue that builds this app."""
