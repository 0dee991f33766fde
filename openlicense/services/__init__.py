"""Writes and domain rules of the open-licence sub-platform."""

from .declarations import (
    PrecheckItem,
    consent_record,
    declaration_announce,
    declaration_create,
    declaration_precheck,
    declaration_submit,
    declaration_withdraw,
    declaration_withdrawal_announce,
)
from .errors import OpenLicenceError
from .licences import (
    open_licence_conclude,
    open_licence_confirm_payment,
    open_licence_deliver_notice,
    open_licence_record_filing,
    open_licence_record_payment,
    open_licence_send_reminders,
)

__all__ = [
    "OpenLicenceError",
    "PrecheckItem",
    "consent_record",
    "declaration_announce",
    "declaration_create",
    "declaration_precheck",
    "declaration_submit",
    "declaration_withdraw",
    "declaration_withdrawal_announce",
    "open_licence_conclude",
    "open_licence_confirm_payment",
    "open_licence_deliver_notice",
    "open_licence_record_filing",
    "open_licence_record_payment",
    "open_licence_send_reminders",
]
