"""Forms of alliances."""
