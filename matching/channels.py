"""Push channels: one interface, an adapter per channel.

E-mail goes through Django's mail backend. SMS and WeChat need a provider
contract (Aliyun SMS, WeChat official-account template messages); their
adapters are chosen by settings (``MATCHING_PUSH_CHANNELS``) and default to the
logging adapter, which records what would be sent, so that development and
tests exercise the whole flow without a provider.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger("matching.push")


@dataclass(frozen=True, slots=True)
class ChannelResult:
    ok: bool
    delivered: bool = False
    detail: str = ""


class PushChannel(Protocol):
    def send(self, *, push, items, preference) -> ChannelResult: ...


def absolute_url(path: str) -> str:
    return getattr(settings, "PORTAL_BASE_URL", "http://localhost:8000").rstrip("/") + path


def push_links(push, items) -> dict:
    """The tracked links a message carries (open pixel, clicks, feedback, unsubscribe)."""
    return {
        "pixel": absolute_url(reverse("matching:track_open", args=[push.token])),
        "feedback": absolute_url(reverse("matching:push_feedback", args=[push.token])),
        "unsubscribe": absolute_url(reverse("matching:unsubscribe", args=[push.token])),
        "items": [
            (item, absolute_url(reverse("matching:track_click", args=[push.token, item.pk])))
            for item in items
        ],
    }


def _recipient_email(push, preference) -> str:
    if preference.email:
        return preference.email
    member = (
        push.organization.members.select_related("user")
        .exclude(user__email="")
        .order_by("pk")
        .first()
    )
    return member.user.email if member else ""


class EmailChannel:
    def send(self, *, push, items, preference) -> ChannelResult:
        address = _recipient_email(push, preference)
        if not address:
            return ChannelResult(ok=False, detail=_("No e-mail address for this enterprise."))
        context = {"push": push, "links": push_links(push, items), "need": push.need}
        subject = _("Patents matching your technology need")
        text = render_to_string("matching/email/push.txt", context)
        html = render_to_string("matching/email/push.html", context)
        message = EmailMultiAlternatives(subject, text, to=[address])
        message.attach_alternative(html, "text/html")
        sent = message.send()
        return ChannelResult(ok=bool(sent), delivered=bool(sent), detail=address)


class LogChannel:
    """Development adapter: writes the message to the log instead of a provider."""

    name = "log"

    def send(self, *, push, items, preference) -> ChannelResult:
        links = push_links(push, items)
        logger.info(
            "push %s via %s to %s: %s",
            push.pk,
            self.name,
            push.organization,
            "; ".join(f"{item.title} {url}" for item, url in links["items"]),
        )
        return ChannelResult(ok=True, delivered=True, detail=f"logged ({self.name})")


class SmsLogChannel(LogChannel):
    name = "sms"


class WeChatLogChannel(LogChannel):
    name = "wechat"


DEFAULT_CHANNELS = {
    "email": "matching.channels.EmailChannel",
    "sms": "matching.channels.SmsLogChannel",
    "wechat": "matching.channels.WeChatLogChannel",
    "log": "matching.channels.LogChannel",
}


def channel_for(name: str) -> PushChannel:
    paths = {**DEFAULT_CHANNELS, **getattr(settings, "MATCHING_PUSH_CHANNELS", {})}
    return import_string(paths[name])()
