"""Forms of openlicense."""
