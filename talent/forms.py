"""Forms of talent."""
