from django.core.exceptions import ValidationError


class TradingError(ValidationError):
    """A refused trading operation; the message is for the user."""
