"""Delivery-report callbacks from the providers (machine-to-machine, no login).

- Tencent Cloud SMS status reports and Aliyun SMS ``SmsReport`` HTTP pushes:
  neither provider signs its callback, so the URL configured in the provider's
  console carries a secret (``callback_token`` of ``TENCENT_SMS`` /
  ``ALIYUN_SMS``), compared in constant time; a wrong one is a 404.
- WeChat ``TEMPLATESENDJOBFINISH`` events: signed by WeChat with the account's
  token (``signature`` = SHA-1 of the sorted token, timestamp and nonce),
  verified with ``wechatpy.utils.check_signature``; a bad signature is a 403.

Every endpoint is idempotent (``push_receipt_record``): a duplicate report
answers success and changes nothing, so the provider stops re-sending it.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from portal.permissions import public_view

from ..delivery import Receipt
from ..models import Push
from ..services import push_receipt_record

logger = logging.getLogger("matching.push")


def _check_token(config: dict, token: str) -> None:
    expected = (config or {}).get("callback_token", "")
    if not expected or not hmac.compare_digest(expected.encode(), token.encode()):
        raise Http404


def _json_list(request) -> list | None:
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if isinstance(body, dict):
        body = [body]
    return body if isinstance(body, list) and all(isinstance(r, dict) for r in body) else None


@public_view
@csrf_exempt
@require_POST
def tencent_sms_report(request, token: str):
    _check_token(settings.TENCENT_SMS, token)
    reports = _json_list(request)
    if reports is None:
        return JsonResponse({"result": 1, "errmsg": "body is not a JSON array"}, status=400)
    for report in reports:
        sid = str(report.get("sid") or "")
        if not sid:
            continue
        delivered = report.get("report_status") == "SUCCESS"
        reason = " ".join(
            str(report.get(k) or "") for k in ("errmsg", "description") if report.get(k)
        )
        push_receipt_record(
            receipt=Receipt(
                "tencent",
                sid,
                Push.Delivery.DELIVERED if delivered else Push.Delivery.FAILED,
                reason,
            )
        )
    return JsonResponse({"result": 0, "errmsg": "OK"})


@public_view
@csrf_exempt
@require_POST
def aliyun_sms_report(request, token: str):
    _check_token(settings.ALIYUN_SMS, token)
    reports = _json_list(request)
    if reports is None:
        return JsonResponse({"code": 1, "msg": "body is not a JSON array"}, status=400)
    for report in reports:
        biz_id = str(report.get("biz_id") or "")
        if not biz_id:
            continue
        delivered = report.get("success") is True
        reason = " ".join(
            str(report.get(k) or "") for k in ("err_code", "err_msg") if report.get(k)
        )
        push_receipt_record(
            receipt=Receipt(
                "aliyun",
                biz_id,
                Push.Delivery.DELIVERED if delivered else Push.Delivery.FAILED,
                reason,
            )
        )
    return JsonResponse({"code": 0, "msg": "OK"})


@public_view
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def wechat_callback(request):
    from wechatpy import parse_message
    from wechatpy.exceptions import InvalidSignatureException
    from wechatpy.utils import check_signature

    token = settings.WECHAT_MP.get("token", "")
    if not token:
        raise Http404
    try:
        check_signature(
            token,
            request.GET.get("signature", ""),
            request.GET.get("timestamp", ""),
            request.GET.get("nonce", ""),
        )
    except InvalidSignatureException:
        return HttpResponse("invalid signature", status=403, content_type="text/plain")
    if request.method in ("GET", "HEAD"):
        # Server URL verification when the URL is saved in the WeChat console.
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")
    try:
        message = parse_message(request.body)
    except Exception:  # malformed XML
        return HttpResponseBadRequest("bad xml", content_type="text/plain")
    if getattr(message, "event", "") == "templatesendjobfinish":
        status = (message.status or "").strip()
        push_receipt_record(
            receipt=Receipt(
                "wechat",
                str(message.id),
                Push.Delivery.DELIVERED if status == "success" else Push.Delivery.FAILED,
                status,
            )
        )
    # WeChat expects "success" (or an empty body) for every event it posts.
    return HttpResponse("success", content_type="text/plain")
