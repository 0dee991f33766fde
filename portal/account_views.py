"""The second login step for staff: enrol a TOTP authenticator, then verify codes."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import login_throttle
from .audit import AuditAction, audit_record
from .forms import MobileCodeForm, MobileSendForm, OTPTokenForm
from .mobile import MobileVerificationError, mobile_code_send, mobile_code_verify
from .ratelimit import UNAVAILABLE, rate_limit_check, rate_limited_response
from .redirects import safe_next_url
from .second_factor import ACTION_RECOVERY_USED, recovery_codes_issue


def _next_url(request) -> str:
    return safe_next_url(request, default="admin:index" if request.user.is_staff else "home")


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    devices = [d for d in devices_for_user(request.user, confirmed=True)]
    if not devices:
        return redirect(f"{reverse('otp_setup')}?next={_next_url(request)}")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            # TOTPDevice throttles repeated failures itself (django-otp ThrottlingMixin).
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                audit_record(action=AuditAction.OTP_VERIFIED, request=request)
                if isinstance(device, StaticDevice):
                    audit_record(action=ACTION_RECOVERY_USED, request=request)
                return redirect(_next_url(request))
        form.add_error(
            "token", _("The code is wrong or expired. Wait for a new one and try again.")
        )
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    if any(True for _ in devices_for_user(request.user, confirmed=True)):
        return redirect(f"{reverse('otp_verify')}?next={_next_url(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(action=AuditAction.OTP_ENROLLED, target=device, request=request)
            # Recovery codes, shown once: the way back in when the phone is lost.
            codes = recovery_codes_issue(user=request.user, request=request)
            return render(
                request,
                "registration/otp_recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "token", _("The code is wrong or expired. Check the time on your phone and try again.")
        )
    qr_svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).to_string(
        encoding="unicode"
    )
    return render(
        request,
        "registration/otp_setup.html",
        {"form": form, "qr_svg": qr_svg, "next": _next_url(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mobile_verify(request):
    """Enterprise users confirm their mobile number: captcha → SMS code → verified."""
    send_form = MobileSendForm(request.POST if request.POST.get("step") == "send" else None)
    code_form = MobileCodeForm(request.POST if request.POST.get("step") == "verify" else None)
    if request.method == "POST" and request.POST.get("step") == "send" and send_form.is_valid():
        try:
            mobile_code_send(
                user=request.user, mobile=send_form.cleaned_data["mobile"], request=request
            )
            messages.success(
                request, _("A code was sent by text message. It is valid for 10 minutes.")
            )
            return redirect("mobile_verify")
        except MobileVerificationError as exc:
            send_form.add_error(None, str(exc))
    if request.method == "POST" and request.POST.get("step") == "verify" and code_form.is_valid():
        try:
            mobile_code_verify(
                user=request.user, code=code_form.cleaned_data["code"], request=request
            )
            messages.success(request, _("Your mobile number is verified."))
            return redirect("home")
        except MobileVerificationError as exc:
            code_form.add_error("code", str(exc))
    return render(
        request, "registration/mobile_verify.html", {"send_form": send_form, "code_form": code_form}
    )


class PortalLoginView(auth_views.LoginView):
    """Django's login page with a per-account progressive delay and a per-address
    limit in front of the password check (portal.login_throttle)."""

    def post(self, request, *args, **kwargs):
        verdict = rate_limit_check(
            request, group="portal.login", key="ip", rate=login_throttle.IP_RATE
        )
        # Redis down: the address limit cannot count; logging in still works, with
        # django-axes (database) and the per-account delay (misses count as none).
        if verdict is not None and verdict != UNAVAILABLE:
            return rate_limited_response(request, verdict)
        username = str(request.POST.get("username", ""))[:150]
        if AxesProxyHandler.is_locked(request, {"username": username}):
            # This address is locked out of this account: django-axes answers with
            # its lockout page, the per-account delay does not hide it.
            return super().post(request, *args, **kwargs)
        wait = login_throttle.login_wait_seconds(username)
        if wait:
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                _(
                    "Too many failed attempts for this account. Wait %(seconds)d seconds "
                    "and try again."
                )
                % {"seconds": wait},
            )
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)
