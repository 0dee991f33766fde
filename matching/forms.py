"""Forms of matching."""
