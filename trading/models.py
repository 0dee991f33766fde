"""Models of trading: added by the issue that builds this app."""
