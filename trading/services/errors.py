from django.core.exceptions import ValidationError


class TradingError(ValidationError):
    """A refused trading operation; the message is for the user."""


def upload_check(file, *, kind) -> None:
    """``portal.uploads.validate_upload`` with its refusal as a ``TradingError``."""
    from django.core.exceptions import ValidationError

    from portal.uploads import validate_upload

    try:
        validate_upload(file, kind=kind)
    except ValidationError as error:
        raise TradingError(error.messages) from error
