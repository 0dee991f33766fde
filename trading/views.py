"""Views of trading."""
