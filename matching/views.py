"""Views of matching."""
