"""Views of alliances."""
