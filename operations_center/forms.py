"""Forms of operations_center."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.uploads import MB, UploadKind, validate_upload

from .models import EventRegistration
from .selectors.navigation import DEFAULT_REGION, Years, default_years, region_choices


class NavigationFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    year_from = forms.IntegerField(
        label=_("From year"), min_value=1985, max_value=2100, required=False
    )
    year_to = forms.IntegerField(label=_("To year"), min_value=1985, max_value=2100, required=False)
    node = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *args, **kwargs):
        # The region shown is the region used: without one in the query, the
        # select shows the default region, never the first of the list.
        if data is not None and not data.get("region"):
            data = data.copy()
            data["region"] = DEFAULT_REGION
        super().__init__(data, *args, **kwargs)
        self.fields["region"].choices = region_choices()
        self.fields["region"].initial = DEFAULT_REGION

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            raise forms.ValidationError(_("“From year” must not be after “To year”."))
        return data

    def region_code(self) -> str:
        return (self.cleaned_data.get("region") if self.is_valid() else "") or DEFAULT_REGION

    def years(self) -> Years:
        default = default_years()
        if not self.is_valid():
            return default
        return Years(
            self.cleaned_data.get("year_from") or default.start,
            self.cleaned_data.get("year_to") or default.end,
        )


CHAIN_FILE = UploadKind("chain definition", frozenset({".json", ".yaml", ".yml"}), max_bytes=MB)


class ChainImportForm(forms.Form):
    file = forms.FileField(
        label=_("Chain definition (JSON or YAML)"),
        help_text=_("The format of an exported chain file."),
    )

    def clean_file(self):
        return validate_upload(self.cleaned_data["file"], kind=CHAIN_FILE)


class ReportForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"))
    year_from = forms.IntegerField(label=_("From year"), min_value=1985, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), min_value=1985, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()
        self.fields["region"].initial = DEFAULT_REGION
        years = default_years()
        self.fields["year_from"].initial = years.start
        self.fields["year_to"].initial = years.end

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            raise forms.ValidationError(_("“From year” must not be after “To year”."))
        return data


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = EventRegistration
        fields = ["kind", "organization_name", "contact_name", "mobile", "email", "interests"]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"].strip().replace(" ", "")
        if not (mobile.isdigit() and len(mobile) == 11 and mobile.startswith("1")):
            raise forms.ValidationError(
                _("Enter an 11-digit mainland mobile number, e.g. 13800138000.")
            )
        if EventRegistration.objects.filter(event=self.event, mobile=mobile).exists():
            raise forms.ValidationError(
                _("This mobile number is already registered for the event.")
            )
        return mobile
