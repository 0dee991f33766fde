"""E-mail through real SMTP (TLS, auth) with text and HTML parts.

The SMTP server accepting the message is the delivery evidence for e-mail
(there is no receipt beyond it); any other Django backend (console, locmem,
file) accepts nothing, so its hand-off is recorded as "unknown", never as
delivered.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import make_msgid
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .base import DeliveryError, HandOff


def smtp_configured() -> bool:
    backend = import_string(settings.EMAIL_BACKEND)
    return isinstance(backend, type) and issubclass(backend, SmtpBackend)


def email_send(*, to: str, subject: str, text: str, html: str) -> HandOff:
    message_id = make_msgid(domain=getattr(settings, "EMAIL_MESSAGE_ID_DOMAIN", None) or None)
    message = EmailMultiAlternatives(
        subject, text, to=[to], headers={"Message-ID": message_id}, connection=get_connection()
    )
    message.attach_alternative(html, "text/html")
    try:
        sent = message.send()
    except smtplib.SMTPRecipientsRefused as error:
        code, reply = next(iter(error.recipients.values()))
        reason = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        raise DeliveryError(reason, transient=400 <= code < 500, code=str(code)) from error
    except smtplib.SMTPResponseException as error:
        reason = error.smtp_error
        reason = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
        raise DeliveryError(
            reason, transient=400 <= error.smtp_code < 500, code=str(error.smtp_code)
        ) from error
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        raise DeliveryError(
            _("The mail server could not be reached: %(error)s") % {"error": error},
            transient=True,
            code="network",
        ) from error
    if not sent:
        raise DeliveryError(_("The mail server accepted nothing."), transient=True, code="none")
    if smtp_configured():
        return HandOff(provider="smtp", message_id=message_id, delivered=True, detail=to)
    # No SMTP server took it (console/file/locmem): no evidence, no receipt to wait for.
    return HandOff(provider="mail-backend", message_id="", detail=to)
