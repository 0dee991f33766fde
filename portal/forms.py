from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DataRightsRequest


class OTPTokenForm(forms.Form):
    # Six digits from the app, or one of the ten-character recovery codes.
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*(\d{6}|[0-9a-fA-F]{10})\s*$",
        help_text=_("Lost your phone? Enter one of your recovery codes instead."),
        error_messages={"invalid": _("Enter the six digits your authenticator app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip().lower()


class DataRightsRequestForm(forms.ModelForm):
    agree = forms.BooleanField(
        label=_("I confirm that the request concerns my own personal data."), required=True
    )

    class Meta:
        model = DataRightsRequest
        fields = ["kind", "name", "contact", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class MobileSendForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile number"), max_length=20)
    captcha = CaptchaField(label=_("Characters in the picture"))


class MobileCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the text message"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits of the text message.")},
    )
