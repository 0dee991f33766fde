"""Models of matching: added by the issue that builds this app."""
