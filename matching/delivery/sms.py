"""SMS through the providers' own SDKs: Aliyun dysmsapi 2017-05-25, Tencent Cloud sms 2021-01-11.

``MATCHING_SMS_PROVIDER`` picks one ("aliyun" or "tencent"); templates and
signatures are registered with the provider and named in settings
(``ALIYUN_SMS`` / ``TENCENT_SMS``). ``sms_provider()`` returns the configured
one; pushes and the mobile-verification sender both use it.

Receipts: Aliyun offers a status pull (``QuerySendDetails``, run on beat by
``push_receipts_poll``); Tencent posts status reports to our callback
(``matching.views.receipts``).
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .base import DeliveryError, HandOff, Receipt

logger = logging.getLogger("matching.push")

# Provider codes that mean "try again later" (documented error codes).
_ALIYUN_TRANSIENT = {
    "isv.BUSINESS_LIMIT_CONTROL",  # per-number rate limit
    "isv.DAY_LIMIT_CONTROL",
    "Throttling.User",
    "isp.SYSTEM_ERROR",
    "isp.GATEWAY_ERROR",
    "ServiceUnavailable",
}
_TENCENT_TRANSIENT_PREFIXES = ("LimitExceeded.", "InternalError", "RequestLimitExceeded")


def _timeout_seconds() -> int:
    return int(getattr(settings, "MATCHING_PROVIDER_TIMEOUT", 10))


class AliyunSms:
    name = "aliyun"

    def __init__(self, config: dict | None = None):
        self.config = config if config is not None else settings.ALIYUN_SMS

    def _client(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import utils_models

        endpoint = self.config.get("endpoint") or "dysmsapi.aliyuncs.com"
        timeout_ms = _timeout_seconds() * 1000
        return Client(
            utils_models.Config(
                access_key_id=self.config["access_key_id"],
                access_key_secret=self.config["access_key_secret"],
                endpoint=endpoint,
                protocol=self.config.get("protocol") or "https",
                read_timeout=timeout_ms,
                connect_timeout=timeout_ms,
            )
        )

    @staticmethod
    def _runtime():
        from darabonba.runtime import RuntimeOptions

        # Our own retry policy (push_send) decides; no hidden SDK retries.
        return RuntimeOptions(autoretry=False, max_attempts=0)

    def _call(self, method, request):
        try:
            return method(request, self._runtime()).body
        except Exception as error:
            code = str(getattr(error, "code", "") or "")
            status = getattr(error, "status_code", None) or 0
            if code and not code.endswith("Network"):  # the provider answered with an error body
                transient = code in _ALIYUN_TRANSIENT or code.startswith("isp.") or status >= 500
                message = getattr(error, "message", "") or str(error)
                raise DeliveryError(message, transient=transient, code=code) from error
            raise DeliveryError(  # connection refused, timeout, TLS
                _("The SMS provider could not be reached: %(error)s") % {"error": error},
                transient=True,
                code="network",
            ) from error

    def send(self, *, mobile: str, template: str, params: dict) -> HandOff:
        from alibabacloud_dysmsapi20170525 import models

        request = models.SendSmsRequest(
            phone_numbers=mobile,
            sign_name=self.config["sign_name"],
            template_code=template,
            template_param=json.dumps(params, ensure_ascii=False),
        )
        body = self._call(self._client().send_sms_with_options, request)
        if body.code != "OK":
            raise DeliveryError(
                body.message or body.code,
                transient=body.code in _ALIYUN_TRANSIENT or body.code.startswith("isp."),
                code=body.code,
            )
        logger.info(
            "aliyun sms accepted", extra={"biz_id": body.biz_id, "request": body.request_id}
        )
        return HandOff(provider=self.name, message_id=body.biz_id)

    def poll(self, *, message_id: str, mobile: str, sent_at) -> Receipt | None:
        """QuerySendDetails: SendStatus 1 waiting, 2 failed, 3 delivered."""
        from alibabacloud_dysmsapi20170525 import models

        request = models.QuerySendDetailsRequest(
            phone_number=mobile,
            biz_id=message_id,
            send_date=timezone.localtime(sent_at).strftime("%Y%m%d"),
            page_size=10,
            current_page=1,
        )
        body = self._call(self._client().query_send_details_with_options, request)
        if body.code != "OK":
            raise DeliveryError(body.message or body.code, transient=True, code=body.code)
        details = body.sms_send_detail_dtos.sms_send_detail_dto if body.sms_send_detail_dtos else []
        for detail in details or []:
            if detail.send_status == 3:
                return Receipt(self.name, message_id, "delivered", detail.err_code or "DELIVERED")
            if detail.send_status == 2:
                return Receipt(self.name, message_id, "failed", detail.err_code or "")
        return None


class TencentSms:
    name = "tencent"

    def __init__(self, config: dict | None = None):
        self.config = config if config is not None else settings.TENCENT_SMS

    def _client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        http = HttpProfile(
            protocol=self.config.get("protocol") or "https",
            endpoint=self.config.get("endpoint") or "sms.tencentcloudapi.com",
            reqTimeout=_timeout_seconds(),
        )
        profile = ClientProfile(signMethod="TC3-HMAC-SHA256", httpProfile=http)
        cred = credential.Credential(self.config["secret_id"], self.config["secret_key"])
        return sms_client.SmsClient(cred, self.config.get("region") or "ap-guangzhou", profile)

    def send(self, *, mobile: str, template: str, params: dict) -> HandOff:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.SmsSdkAppId = self.config["sdk_app_id"]
        request.SignName = self.config["sign_name"]
        request.TemplateId = template
        # Tencent templates take positional parameters, in the template's order.
        request.TemplateParamSet = [str(value) for value in params.values()]
        request.PhoneNumberSet = [mobile if mobile.startswith("+") else f"+86{mobile}"]
        try:
            response = self._client().SendSms(request)
        except TencentCloudSDKException as error:
            code = error.get_code() or ""
            network = code.startswith("ClientNetworkError") or code == "ClientError"
            raise DeliveryError(
                error.get_message() or code,
                transient=network or code.startswith(_TENCENT_TRANSIENT_PREFIXES),
                code="network" if network or not code else code,
            ) from error
        except Exception as error:
            raise DeliveryError(str(error), transient=True, code="network") from error
        status = response.SendStatusSet[0]
        if status.Code != "Ok":
            raise DeliveryError(
                status.Message or status.Code,
                transient=status.Code.startswith(_TENCENT_TRANSIENT_PREFIXES),
                code=status.Code,
            )
        logger.info("tencent sms accepted", extra={"serial": status.SerialNo})
        return HandOff(provider=self.name, message_id=status.SerialNo)

    def poll(self, *, message_id: str, mobile: str, sent_at) -> Receipt | None:
        return None  # reports arrive through the callback


PROVIDERS = {"aliyun": AliyunSms, "tencent": TencentSms}


def sms_provider():
    """The configured SMS provider, or a DeliveryError saying none is configured."""
    name = getattr(settings, "MATCHING_SMS_PROVIDER", "")
    if name not in PROVIDERS:
        raise DeliveryError(_("No SMS provider is configured."), code="not_configured")
    return PROVIDERS[name]()


def sms_template(purpose: str) -> str:
    """The registered template id for ``purpose`` ("push" or "verification")."""
    provider = getattr(settings, "MATCHING_SMS_PROVIDER", "")
    config = {"aliyun": settings.ALIYUN_SMS, "tencent": settings.TENCENT_SMS}.get(provider, {})
    template = config.get(f"{purpose}_template", "")
    if not template:
        raise DeliveryError(
            _("No SMS template is registered for %(purpose)s.") % {"purpose": purpose},
            code="not_configured",
        )
    return template


def sms_verification_send(mobile: str, text: str, params: dict | None = None) -> None:
    """``SMS_BACKEND`` for enterprise mobile verification: the same SMS adapter.

    Raises ``DeliveryError`` when the provider refuses, so the page never says a
    code was sent when none was.
    """
    params = params or {}
    provider = sms_provider()
    handoff = provider.send(mobile=mobile, template=sms_template("verification"), params=params)
    logger.info("verification sms accepted", extra={"provider": handoff.provider})
