"""Event registrations and check-in."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Event, EventRegistration


class RegistrationClosed(Exception):
    pass


def registration_create(*, event: Event, **fields) -> EventRegistration:
    if not event.registration_open or event.status == Event.Status.CANCELLED:
        raise RegistrationClosed(_("Registration for this event is closed."))
    if event.capacity and event.registrations.count() >= event.capacity:
        raise RegistrationClosed(_("This event is full."))
    return EventRegistration.objects.create(event=event, **fields)


def registration_check_in(*, registration: EventRegistration) -> EventRegistration:
    """Idempotent: checking in twice keeps the first time."""
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at"])
    return registration
