"""WeChat Official Account template messages through ``wechatpy``.

Only enterprises that bound their OpenID (``PushPreference.wechat_openid``)
can be reached. WeChat reports the outcome of each template message as a
``TEMPLATESENDJOBFINISH`` event posted to the account's server URL, signed with
the account's token; ``matching.views.receipts.wechat_callback`` verifies it.
Settings: ``WECHAT_MP`` (app_id, app_secret, token, push_template_id,
api_base_url for a non-default gateway).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from .base import DeliveryError, HandOff

# Documented global return codes that mean "try again later".
_TRANSIENT_ERRCODES = {-1, 45009, 45011, 45047}
_CLIENTS: dict[tuple, object] = {}


def _client():
    from wechatpy.client import WeChatClient

    config = settings.WECHAT_MP
    base = (config.get("api_base_url") or WeChatClient.API_BASE_URL).rstrip("/") + "/"

    class PortalWeChatClient(WeChatClient):
        API_BASE_URL = base

        def fetch_access_token(self):
            return self._fetch_access_token(
                url=f"{base}token",
                params={
                    "grant_type": "client_credential",
                    "appid": self.appid,
                    "secret": self.secret,
                },
            )

    key = (config.get("app_id"), config.get("app_secret"), base)
    if key not in _CLIENTS:  # one client per process keeps the access token between sends
        _CLIENTS[key] = PortalWeChatClient(
            config["app_id"],
            config["app_secret"],
            timeout=int(getattr(settings, "MATCHING_PROVIDER_TIMEOUT", 10)),
        )
    return _CLIENTS[key]


def wechat_template_send(*, openid: str, data: dict, url: str = "") -> HandOff:
    from requests import RequestException
    from wechatpy.exceptions import WeChatClientException

    config = settings.WECHAT_MP
    if not openid:
        raise DeliveryError(_("The enterprise has not bound a WeChat account."), code="no_openid")
    if not config.get("app_id") or not config.get("push_template_id"):
        raise DeliveryError(_("WeChat is not configured."), code="not_configured")
    try:
        result = _client().message.send_template(
            openid, config["push_template_id"], data, url=url or None
        )
    except WeChatClientException as error:
        errcode = error.errcode
        if errcode is None:  # HTTP error from the gateway
            raise DeliveryError(str(error), transient=True, code="network") from error
        raise DeliveryError(
            error.errmsg or str(errcode),
            transient=int(errcode) in _TRANSIENT_ERRCODES,
            code=str(errcode),
        ) from error
    except RequestException as error:
        raise DeliveryError(
            _("WeChat could not be reached: %(error)s") % {"error": error},
            transient=True,
            code="network",
        ) from error
    return HandOff(provider="wechat", message_id=str(result["msgid"]))
