"""Models of alliances: added by the issue that builds this app."""
