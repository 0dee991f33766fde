"""Push channels: one interface, an adapter per channel.

Each adapter hands one push to its provider and returns a ``HandOff`` (the
provider's message id) or raises ``DeliveryError`` (transient or permanent).
Delivery itself is recorded later, from the provider's receipts
(``matching.services.receipts``); only an SMTP server accepting a mail counts
as delivery at hand-off.

- e-mail: real SMTP (``EMAIL_BACKEND`` = Django's SMTP backend, TLS, auth);
- SMS: Aliyun or Tencent Cloud SMS SDK (``MATCHING_SMS_PROVIDER``);
- WeChat: Official Account template messages (``wechatpy``, ``WECHAT_MP``);
- log: development only; unselectable when DEBUG is off, never "delivered".

``MATCHING_PUSH_CHANNELS`` may replace an adapter by dotted path.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .delivery import DeliveryError, HandOff

logger = logging.getLogger("matching.push")


class PushChannel(Protocol):
    def send(self, *, push, items, preference) -> HandOff: ...


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


def _recipient_mobile(push, preference) -> str:
    if preference.mobile:
        return preference.mobile
    return push.need.contact_mobile if push.need_id else ""


def _subject(push) -> str:
    return (push.need.title if push.need_id else str(push.organization))[:20]


class EmailChannel:
    def send(self, *, push, items, preference) -> HandOff:
        from .delivery.mail import email_send

        address = _recipient_email(push, preference)
        if not address:
            raise DeliveryError(_("No e-mail address for this enterprise."), code="no_address")
        context = {"push": push, "links": push_links(push, items), "need": push.need}
        return email_send(
            to=address,
            subject=_("Patents matching your technology need"),
            text=render_to_string("matching/email/push.txt", context),
            html=render_to_string("matching/email/push.html", context),
        )


class SmsChannel:
    """One SMS on the registered push template: need title, item count, link."""

    def send(self, *, push, items, preference) -> HandOff:
        from .delivery.sms import sms_provider, sms_template

        mobile = _recipient_mobile(push, preference)
        if not mobile:
            raise DeliveryError(_("No mobile number for this enterprise."), code="no_address")
        links = push_links(push, items)
        params = {"need": _subject(push), "count": str(len(items)), "link": links["feedback"]}
        return sms_provider().send(mobile=mobile, template=sms_template("push"), params=params)


class WeChatChannel:
    def send(self, *, push, items, preference) -> HandOff:
        from .delivery.wechat import wechat_template_send

        links = push_links(push, items)
        data = {
            "first": {"value": _("Patents matching your technology need")},
            "keyword1": {"value": _subject(push)},
            "keyword2": {"value": str(len(items))},
            "remark": {"value": "; ".join(item.title[:30] for item in items[:3])},
        }
        return wechat_template_send(
            openid=preference.wechat_openid, data=data, url=links["feedback"]
        )


class LogChannel:
    """Development adapter: writes the message to the log instead of a provider.

    It reaches no one, so its pushes stay "unknown" and never count as delivered.
    """

    name = "log"

    def send(self, *, push, items, preference) -> HandOff:
        links = push_links(push, items)
        logger.info(
            "push %s via %s to %s: %s",
            push.pk,
            self.name,
            push.organization,
            "; ".join(f"{item.title} {url}" for item, url in links["items"]),
        )
        return HandOff(provider="log", message_id="", detail=f"logged ({self.name})")


DEFAULT_CHANNELS = {
    "email": "matching.channels.EmailChannel",
    "sms": "matching.channels.SmsChannel",
    "wechat": "matching.channels.WeChatChannel",
    "log": "matching.channels.LogChannel",
}


def channel_path(name: str) -> str:
    return {**DEFAULT_CHANNELS, **getattr(settings, "MATCHING_PUSH_CHANNELS", {})}[name]


def channel_for(name: str) -> PushChannel:
    return import_string(channel_path(name))()


def channel_selectable(name: str) -> bool:
    """Counted channels are always selectable; the log channel only under DEBUG."""
    if name == "log":
        return bool(settings.DEBUG)
    return name in getattr(settings, "MATCHING_ENABLED_CHANNELS", ("email", "sms", "wechat"))


def selectable_channels() -> list[tuple[str, str]]:
    from .models import Push

    return [(value, label) for value, label in Push.Channel.choices if channel_selectable(value)]
