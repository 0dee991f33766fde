"""Admin registrations of matching."""
