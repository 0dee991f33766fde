"""Forms of talent."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Objection, Talent
from .selectors import REGION_FILTERS

REGION_LABELS = {
    "shandong": _("Shandong"),
    "yellow_river": _("Yellow River provinces"),
    "overseas": _("Overseas"),
}


class RegionFilterForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("Anywhere"))] + [(k, REGION_LABELS[k]) for k in REGION_FILTERS],
    )


class ExpertSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Technology need"),
        min_length=2,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"min_length": _("Describe the need in a few words.")},
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("Anywhere"))] + [(k, REGION_LABELS[k]) for k in REGION_FILTERS],
    )


class ObjectionForm(forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["requester_name", "requester_contact", "message"]


class ObjectionDecisionForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Uphold: withdraw the profile")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(
        label=_("Talent to merge into this one (id)"),
        queryset=Talent.objects.all(),
        widget=forms.NumberInput,
        error_messages={"invalid_choice": _("No talent has this id.")},
    )
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class SplitForm(forms.Form):
    mentions = forms.TypedMultipleChoiceField(label=_("Patents to split off"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentions"].choices = choices


class MoveForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Move to talent (id)"),
        queryset=Talent.objects.all(),
        widget=forms.NumberInput,
        error_messages={"invalid_choice": _("No talent has this id.")},
    )
