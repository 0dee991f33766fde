from django.core.exceptions import ValidationError


class OpenLicenceError(ValidationError):
    """A refused open-licence operation; the message is for the user."""
