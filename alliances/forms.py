"""Forms of alliances (staff pages). Organizations and patents are entered by
their exact name / publication number, so no list of every organization is
sent to the browser."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from operations_center.models import IndustryChain
from patents.models import Organization, Patent

from .models import Alliance, AllianceMember, PatentPool


class OrganizationNameField(forms.CharField):
    default_error_messages = {
        "unknown": _("No organization is called “%(name)s”; use its full registered name."),
    }

    def clean(self, value):
        name = super().clean(value).strip()
        if not name:
            return None
        org = Organization.objects.filter(name=name).order_by("id").first()
        if org is None:
            raise forms.ValidationError(self.error_messages["unknown"], params={"name": name})
        return org


class AllianceForm(forms.ModelForm):
    chain = forms.ModelChoiceField(
        label=_("Industry chain"), queryset=IndustryChain.objects.order_by("name")
    )

    class Meta:
        model = Alliance
        fields = ["name", "chain", "charter", "founded_on"]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"})}


class MemberForm(forms.Form):
    organization = OrganizationNameField(label=_("Organization"), max_length=255)
    role = forms.ChoiceField(label=_("Role"), choices=AllianceMember.Role.choices)
    joined_on = forms.DateField(
        label=_("Joined on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PoolForm(forms.ModelForm):
    class Meta:
        model = PatentPool
        fields = ["name", "licensing_terms", "standard_royalty"]


class ContributionForm(forms.Form):
    publication_number = forms.CharField(label=_("Publication number"), max_length=32)
    contributor = forms.ModelChoiceField(label=_("Contributor"), queryset=Organization.objects)
    contributed_on = forms.DateField(
        label=_("Contributed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, pool: PatentPool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contributor"].queryset = Organization.objects.filter(
            pk__in=pool.alliance.memberships.values("organization_id")
        ).order_by("name")

    def clean_publication_number(self):
        number = self.cleaned_data["publication_number"].strip().upper().replace(" ", "")
        patent = Patent.objects.filter(publication_number=number).first()
        if patent is None:
            raise forms.ValidationError(
                _("No patent has the publication number %(n)s."), params={"n": number}
            )
        return patent


class LicenceForm(forms.Form):
    licensee = OrganizationNameField(label=_("Licensee"), max_length=255)
    royalty = forms.DecimalField(
        label=_("Royalty (RMB)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    starts_on = forms.DateField(
        label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    contract_number = forms.CharField(label=_("Contract number"), required=False, max_length=64)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise forms.ValidationError(_("The licence cannot end before it starts."))
        return data


class LicenceCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class LicenceLinkForm(forms.Form):
    deal_id = forms.IntegerField(label=_("Deal number"), min_value=1)
