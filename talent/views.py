"""Views of talent."""
