"""Forms of reporting."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Report, ReportingPeriod
from .services import period_parse


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 10})}


class ReportCreateForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=40,
        help_text=_("A year (2026), a quarter (2026Q1) or the label of a defined period."),
    )

    def clean_period(self) -> ReportingPeriod:
        try:
            return period_parse(text=self.cleaned_data["period"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
