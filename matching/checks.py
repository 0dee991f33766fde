"""`manage.py check --deploy`: every counted push channel reaches a real provider.

A console or log backend accepts everything and delivers nothing; in
production it would make the push KPI count what never happened. Each enabled
channel (``MATCHING_ENABLED_CHANNELS``) must therefore use its real adapter with
credentials, and the mobile-verification sender must be the SMS provider.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.module_loading import import_string

_SMS_KEYS = {
    "aliyun": ("access_key_id", "access_key_secret", "sign_name", "push_template"),
    "tencent": ("secret_id", "secret_key", "sdk_app_id", "sign_name", "push_template"),
}
_WECHAT_KEYS = ("app_id", "app_secret", "token", "push_template_id")


def _missing(config: dict, keys) -> list[str]:
    return [key for key in keys if not (config or {}).get(key)]


def _is_log_adapter(name: str) -> bool:
    from .channels import LogChannel, channel_path

    try:
        adapter = import_string(channel_path(name))
    except ImportError:
        return True
    return isinstance(adapter, type) and issubclass(adapter, LogChannel)


def _email_errors() -> list[Error]:
    from .delivery.mail import smtp_configured

    if not smtp_configured():
        return [
            Error(
                f"Counted push channel 'email' uses {settings.EMAIL_BACKEND}, which delivers "
                "nothing: pushes would never reach anyone.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the "
                "EMAIL_HOST* settings (docs/operations.md, 'E-mail').",
                id="matching.E001",
            )
        ]
    missing = [
        name
        for name in ("EMAIL_HOST", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD")
        if not getattr(settings, name, "")
    ]
    if not (settings.EMAIL_USE_TLS or settings.EMAIL_USE_SSL):
        missing.append("EMAIL_USE_TLS or EMAIL_USE_SSL")
    if missing:
        return [
            Error(
                f"Counted push channel 'email' lacks SMTP credentials: {', '.join(missing)}.",
                hint="docs/operations.md, 'E-mail'.",
                id="matching.E002",
            )
        ]
    return []


def _sms_errors(purpose: str) -> list[Error]:
    provider = getattr(settings, "MATCHING_SMS_PROVIDER", "")
    if provider not in _SMS_KEYS:
        return [
            Error(
                f"{purpose} has no SMS provider (MATCHING_SMS_PROVIDER={provider!r}).",
                hint="Set MATCHING_SMS_PROVIDER to 'aliyun' or 'tencent' and its credentials "
                "(docs/operations.md, 'SMS').",
                id="matching.E003",
            )
        ]
    config = settings.ALIYUN_SMS if provider == "aliyun" else settings.TENCENT_SMS
    keys = _SMS_KEYS[provider]
    if purpose.startswith("Mobile"):
        keys = (*keys[:-1], "verification_template")
    missing = _missing(config, keys)
    if missing:
        return [
            Error(
                f"{purpose} ({provider} SMS) lacks settings: {', '.join(missing)}.",
                hint="docs/operations.md, 'SMS'.",
                id="matching.E003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def counted_channels_deliver(app_configs, **kwargs):
    enabled = list(getattr(settings, "MATCHING_ENABLED_CHANNELS", ()))
    errors: list[Error] = []
    for name in enabled:
        if name == "log" or _is_log_adapter(name):
            errors.append(
                Error(
                    f"Counted push channel {name!r} is a log adapter: it reaches no one.",
                    hint="Remove it from MATCHING_ENABLED_CHANNELS or MATCHING_PUSH_CHANNELS.",
                    id="matching.E005",
                )
            )
        elif name == "email":
            errors += _email_errors()
        elif name == "sms":
            errors += _sms_errors("Counted push channel 'sms'")
        elif name == "wechat":
            missing = _missing(settings.WECHAT_MP, _WECHAT_KEYS)
            if missing:
                errors.append(
                    Error(
                        f"Counted push channel 'wechat' lacks settings: {', '.join(missing)}.",
                        hint="docs/operations.md, 'WeChat'.",
                        id="matching.E004",
                    )
                )
    if getattr(settings, "SMS_BACKEND", "") != "matching.delivery.sms.sms_verification_send":
        errors.append(
            Error(
                f"Mobile verification codes go to {settings.SMS_BACKEND}, not an SMS provider.",
                hint="Set SMS_BACKEND=matching.delivery.sms.sms_verification_send "
                "(docs/operations.md, 'SMS').",
                id="matching.E006",
            )
        )
    else:
        errors += [
            e
            for e in _sms_errors("Mobile verification")
            if e.id != "matching.E003" or "sms" not in enabled or "verification_template" in e.msg
        ]
    return errors
