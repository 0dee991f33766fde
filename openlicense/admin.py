"""Admin registrations of openlicense."""
