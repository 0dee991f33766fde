"""Models of talent: added by the issue that builds this app."""
