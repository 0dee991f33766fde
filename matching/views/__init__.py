"""Pages of matching: public (registration, need form, directory), staff, tracking."""
