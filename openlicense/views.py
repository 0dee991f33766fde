"""Views of openlicense."""
