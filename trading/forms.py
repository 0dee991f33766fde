"""Forms of trading."""
