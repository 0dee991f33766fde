"""Admin registrations of talent."""
