"""Forms of matching: registration, the need form, review, pushes, feedback, imports."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from patents.validators import validate_uscc
from portal.uploads import WORKBOOK, validate_upload

from .models import NEED_SUBMITTED_FIELDS, MatchWeights, Push, PushItem, TechNeed, validate_mobile
from .services import ReviewDecision, attachment_check


class RegistrationForm(forms.Form):
    invitation_code = forms.CharField(
        label=_("Invitation code"),
        max_length=40,
        required=False,
        help_text=_(
            "From your organization's administrator on the portal. With a code, the "
            "enterprise name, credit code and licence are not needed."
        ),
    )
    organization_name = forms.CharField(label=_("Enterprise name"), max_length=255, required=False)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        min_length=18,
        required=False,
        help_text=_("18 characters, printed on the business licence."),
    )
    business_licence = forms.FileField(
        label=_("Business licence"),
        required=False,
        help_text=_(
            "PDF or photo. Required when your organization already has an account here: "
            "the centre checks it before you may act for the organization."
        ),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=64)
    mobile = forms.CharField(label=_("Mobile number"), max_length=20, validators=[validate_mobile])
    email = forms.EmailField(label=_("E-mail"))
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    captcha = CaptchaField(label=_("Verification code"))

    def clean_uscc(self) -> str:
        value = self.cleaned_data["uscc"].strip().upper()
        if value:
            validate_uscc(value)
        return value

    def clean(self):
        data = super().clean()
        if not (data.get("invitation_code") or "").strip():
            if (
                not (data.get("organization_name") or "").strip()
                and "organization_name" not in self.errors
            ):
                self.add_error(
                    "organization_name", _("Enter the enterprise name or an invitation code.")
                )
            if not data.get("uscc") and "uscc" not in self.errors:
                self.add_error("uscc", _("Enter the credit code or an invitation code."))
        return data

    def clean_username(self) -> str:
        value = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=value).exists():
            raise ValidationError(_("This user name is taken."))
        return value

    def clean_password(self) -> str:
        value = self.cleaned_data["password"]
        password_validation.validate_password(value)
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class TechNeedForm(forms.ModelForm):
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG, JPEG or Office documents, at most 10 MB each, at most 5 files."),
    )

    class Meta:
        model = TechNeed
        fields = list(NEED_SUBMITTED_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, with_captcha: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Title, description and mobile rules are the model's (matching.models):
        # ``_post_clean`` runs them here as ``need_submit`` does for every entry point.
        self.fields["description"].help_text = _(
            "What problem must the technology solve? At least 20 characters."
        )
        if with_captcha:
            self.fields["captcha"] = CaptchaField(label=_("Verification code"))

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > 5:
            raise ValidationError(_("At most 5 attachments."))
        for upload in files:
            attachment_check(upload)
        return files

    def need_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ReviewDecision.APPROVE, _("Approve and publish")),
            (ReviewDecision.RETURN, _("Return for changes")),
            (ReviewDecision.REJECT, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the enterprise"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") in (ReviewDecision.RETURN, ReviewDecision.REJECT)
            and not (data.get("note") or "").strip()
        ):
            self.add_error("note", _("Say why: the enterprise sees this note."))
        return data


class PushForm(forms.Form):
    patent_ids = forms.TypedMultipleChoiceField(label=_("Patents to push"), coerce=int)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Push.Channel.choices, initial=Push.Channel.EMAIL
    )

    def __init__(self, *args, patent_choices=(), **kwargs):
        from .channels import selectable_channels

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = selectable_channels()
        self.fields["patent_ids"].choices = list(patent_choices)
        self.fields["patent_ids"].widget = forms.CheckboxSelectMultiple(
            choices=list(patent_choices)
        )


class FeedbackForm(forms.Form):
    feedback = forms.ChoiceField(
        label=_("Are you interested?"),
        choices=[
            (PushItem.Feedback.INTERESTED, _("Interested")),
            (PushItem.Feedback.NOT_INTERESTED, _("Not interested")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(label=_("Why not?"), choices=PushItem.Reason.choices, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("feedback") == PushItem.Feedback.NOT_INTERESTED and not data.get("reason"):
            self.add_error("reason", _("Choose a reason so that we push better next time."))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Follow-up"),
        choices=[
            (PushItem.Outcome.INTRODUCED, _("Introduced to the holder")),
            (PushItem.Outcome.DEAL, _("Deal concluded")),
        ],
    )


class PreferenceForm(forms.Form):
    unsubscribe = forms.BooleanField(label=_("Stop all pushes"), required=False)
    personalised_opt_out = forms.BooleanField(
        label=_("No personalised recommendations (PIPL art. 24)"), required=False
    )


class ExcelUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        return validate_upload(self.cleaned_data["file"], kind=WORKBOOK)


class WeightsForm(forms.ModelForm):
    class Meta:
        model = MatchWeights
        fields = [
            "lexical",
            "semantic",
            "ipc",
            "consensus",
            "holder",
            "region",
            "legal_status",
            "availability",
        ]
