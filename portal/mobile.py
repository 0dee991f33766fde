"""Mobile-number verification for enterprise accounts.

A six-digit code is sent by SMS behind a self-hosted image captcha
(django-simple-captcha), with a send cooldown and daily caps per number and
per client address, all counted in the shared cache. If the cache (Redis) is
down nothing is sent and the page says to try later (fail closed: an SMS
flood costs money and annoys the number's owner).

The SMS gateway is pluggable: ``SMS_BACKEND`` names a callable
``send(mobile: str, text: str, params: dict) -> None`` that raises when nothing
was sent; production uses ``matching.delivery.sms.sms_verification_send`` (the
push SMS adapter, on the provider's registered verification template); the
default logs a masked number only, for development (`check --deploy` refuses it).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .audit import AuditAction, audit_record
from .requestmeta import client_ip

logger = logging.getLogger(__name__)

CODE_TTL = 10 * 60
COOLDOWN = 60
DAILY_PER_NUMBER = 5
DAILY_PER_IP = 20
MAX_ATTEMPTS = 5
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")  # mainland China mobile numbers


class MobileVerificationError(Exception):
    """The message says what the user should do."""


class CacheUnavailable(MobileVerificationError):
    pass


def mobile_normalize(value: str) -> str:
    number = re.sub(r"[\s\-]", "", value or "").removeprefix("+86")
    if not _MOBILE_RE.match(number):
        raise MobileVerificationError(_("Enter an 11-digit mainland China mobile number."))
    return number


def mask_mobile(number: str) -> str:
    return number[:3] + "****" + number[-4:] if len(number) >= 7 else "***"


def console_sms_backend(mobile: str, text: str, params: dict | None = None) -> None:
    logger.info("sms (console backend)", extra={"to": mask_mobile(mobile)})


def _digest(user_id: int, number: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{user_id}:{number}:{code}".encode(), hashlib.sha256).hexdigest()


def _today() -> str:
    return timezone.localdate().isoformat()


def _busy() -> CacheUnavailable:
    return CacheUnavailable(_("This service is busy right now. Please try again in a few minutes."))


def _count(key: str, limit: int) -> None:
    """Increment a daily counter; refuse past ``limit``."""
    cache.add(key, 0, 26 * 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        count = None
    if count is None:  # django-redis with IGNORE_EXCEPTIONS answers None when Redis is down
        raise _busy()
    if count > limit:
        raise MobileVerificationError(
            _("Too many codes were requested today. Please try again tomorrow.")
        )


def mobile_code_send(*, user, mobile: str, request=None) -> None:
    number = mobile_normalize(mobile)
    try:
        added = cache.add(f"mobile:cooldown:{number}", 1, COOLDOWN)
        if added is None:
            raise _busy()
        if not added:
            raise MobileVerificationError(
                _("A code was just sent. Please wait a minute before asking again.")
            )
        _count(f"mobile:daily:{_today()}:{number}", DAILY_PER_NUMBER)
        _count(f"mobile:daily-ip:{_today()}:{client_ip(request)}", DAILY_PER_IP)
        code = f"{secrets.randbelow(10**6):06d}"
        stored = cache.set(
            f"mobile:code:{user.pk}",
            {"number": number, "digest": _digest(user.pk, number, code), "attempts": 0},
            CODE_TTL,
        )
    except MobileVerificationError:
        raise
    except Exception as exc:  # cache client errors with a non-ignoring backend
        raise _busy() from exc
    if stored is False:
        raise _busy()
    backend = import_string(getattr(settings, "SMS_BACKEND", "portal.mobile.console_sms_backend"))
    try:
        backend(
            number,
            _("Your Patent Operations Portal verification code is %(code)s, valid for 10 minutes.")
            % {"code": code},
            {"code": code},  # the provider's registered template takes the code as a parameter
        )
    except Exception as exc:  # the provider refused or was unreachable: nothing was sent
        logger.warning("verification sms not sent: %s", exc, extra={"to": mask_mobile(number)})
        cache.delete(f"mobile:code:{user.pk}")
        cache.delete(f"mobile:cooldown:{number}")
        raise MobileVerificationError(
            _("The code could not be sent. Please check the number or try again later.")
        ) from exc
    audit_record(
        actor=user,
        action=AuditAction.MOBILE_CODE_SENT,
        details={"mobile": mask_mobile(number)},
        request=request,
    )


def mobile_code_verify(*, user, code: str, request=None) -> str:
    """Check the code; on success store the number as verified and return it."""
    from .models import UserProfile

    pending = cache.get(f"mobile:code:{user.pk}")
    if not pending:
        raise MobileVerificationError(_("The code has expired. Please ask for a new one."))
    if pending["attempts"] >= MAX_ATTEMPTS:
        cache.delete(f"mobile:code:{user.pk}")
        raise MobileVerificationError(_("Too many wrong codes. Please ask for a new one."))
    if not hmac.compare_digest(
        pending["digest"], _digest(user.pk, pending["number"], (code or "").strip())
    ):
        pending["attempts"] += 1
        cache.set(f"mobile:code:{user.pk}", pending, CODE_TTL)
        raise MobileVerificationError(_("The code is wrong. Please check it and try again."))
    cache.delete(f"mobile:code:{user.pk}")
    profile, _created = UserProfile.objects.get_or_create(user=user)
    profile.mobile = pending["number"]
    profile.mobile_verified_at = timezone.now()
    profile.save(update_fields=["mobile", "mobile_verified_at"])
    audit_record(
        actor=user,
        action=AuditAction.MOBILE_VERIFIED,
        target=profile,
        details={"mobile": mask_mobile(pending["number"])},
        request=request,
    )
    return pending["number"]
