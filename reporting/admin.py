"""Admin registrations of reporting."""
