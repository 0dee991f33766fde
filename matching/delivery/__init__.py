"""Provider adapters behind ``matching.channels``: SMS, WeChat, SMTP."""

from .base import DeliveryError, HandOff, Receipt

__all__ = ["DeliveryError", "HandOff", "Receipt"]
