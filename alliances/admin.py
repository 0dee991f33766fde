"""Admin registrations of alliances."""
