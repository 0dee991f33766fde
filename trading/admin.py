"""Admin registrations of trading."""
