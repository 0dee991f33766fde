"""What every delivery adapter shares: the result of a hand-off and its errors."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HandOff:
    """A provider accepted the message.

    ``message_id`` is the provider's id that its delivery reports carry.
    ``delivered`` is true only where the hand-off itself is the delivery evidence
    (an SMTP server accepting the mail); SMS and WeChat wait for a receipt.
    """

    provider: str
    message_id: str
    delivered: bool = False
    detail: str = ""


class DeliveryError(Exception):
    """The provider refused the message or could not be reached.

    ``transient`` errors (rate limits, timeouts, provider-side faults) are
    retried with backoff; permanent ones (rejected template, invalid number,
    unbound WeChat user, missing configuration) never are.
    """

    def __init__(self, reason: str, *, transient: bool = False, code: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.code = code

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}" if self.code else self.reason


@dataclass(frozen=True, slots=True)
class Receipt:
    """One delivery report: ``state`` is "delivered" or "failed"."""

    provider: str
    message_id: str
    state: str
    reason: str = ""
