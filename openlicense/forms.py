"""Forms of the open-licence sub-platform."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from patents.models import Patent
from patents.normalize import publication_number_lookup_forms
from portal.programme import ProgrammeLine
from portal.uploads import MB, UploadKind, validate_upload

from .models import Declaration


class DeclarationForm(forms.Form):
    patent_number = forms.CharField(label=_("Patent publication number"), max_length=32)
    fee_lump_sum = forms.DecimalField(
        label=_("Lump-sum fee (RMB)"), required=False, min_value=0, decimal_places=2
    )
    royalty_rate = forms.DecimalField(
        label=_("Royalty rate"),
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
        help_text=_("A fraction, e.g. 0.03 for 3%."),
    )
    royalty_base = forms.ChoiceField(
        label=_("Royalty base"),
        required=False,
        choices=[("", "—"), *Declaration.RoyaltyBase.choices],
    )
    payment_method = forms.ChoiceField(
        label=_("Payment method"), choices=Declaration.PaymentMethod.choices
    )
    term_years = forms.IntegerField(label=_("Licence term (years)"), min_value=1, max_value=20)
    evaluation_report_number = forms.CharField(
        label=_("Patent evaluation report number"),
        required=False,
        max_length=64,
        help_text=_("Required for a utility model or design."),
    )
    pledged = forms.BooleanField(label=_("The patent is pledged"), required=False)
    pledgee_consent = forms.BooleanField(label=_("The pledgee consents"), required=False)
    programme_line = forms.ChoiceField(
        label=_("Programme line"),
        choices=ProgrammeLine.choices,
        required=False,
        help_text=_("Set by centre staff; others' declarations take the trading hub's line."),
    )
    consent_document = forms.FileField(
        label=_("Your organization's signed written consent (PDF or scan)"),
        required=False,
        help_text=_(
            "Each co-owner's own written consent is attached on the declaration page; "
            "one patentee cannot consent for another."
        ),
    )

    def clean_patent_number(self):
        raw = self.cleaned_data["patent_number"]
        patent = Patent.objects.filter(
            publication_number__in=publication_number_lookup_forms(raw)
        ).first()
        if patent is None:
            raise forms.ValidationError(_("No patent with number %(n)s.") % {"n": raw})
        return patent


class WithdrawForm(forms.Form):
    """The written reason, and one signed consent to withdraw per co-owner."""

    reason = forms.CharField(
        label=_("Written reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, consents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.consents = list(consents)
        for consent in self.consents:
            self.fields[f"document_{consent.organization_id}"] = forms.FileField(
                label=_("Written consent to withdraw of %(name)s")
                % {"name": consent.organization.name},
                required=not consent.withdrawal_document_sha256,
            )

    def documents(self) -> dict:
        return {
            c.organization_id: self.cleaned_data.get(f"document_{c.organization_id}")
            for c in self.consents
            if self.cleaned_data.get(f"document_{c.organization_id}")
        }


class AnnounceForm(forms.Form):
    announcement_number = forms.CharField(label=_("CNIPA announcement number"), max_length=64)
    announced_on = forms.DateField(label=_("CNIPA announcement date"))


class ConsentForm(forms.Form):
    document = forms.FileField(label=_("Signed written consent (PDF or scan)"))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount paid (RMB)"), min_value=0, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"))
    reference = forms.CharField(label=_("Payment reference"), required=False, max_length=128)
    proof = forms.FileField(label=_("Proof of payment (bank slip or receipt)"))


class FilingForm(forms.Form):
    filing_number = forms.CharField(label=_("Filing number"), max_length=64)
    filed_on = forms.DateField(label=_("Filed on"))


MASTER_FILE = UploadKind("master platform file", frozenset({".csv", ".json"}), max_bytes=20 * MB)


class SyncImportForm(forms.Form):
    file = forms.FileField(label=_("Master platform file (.csv or .json)"))
    source = forms.CharField(label=_("Source"), max_length=64, initial="shandong-master")

    def clean_file(self):
        return validate_upload(self.cleaned_data["file"], kind=MASTER_FILE)


class PushForm(forms.Form):
    """Choose which matching enterprises (through their needs) receive the item."""

    need_ids = forms.TypedMultipleChoiceField(
        label=_("Enterprises to push to"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one enterprise to push to.")},
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=())
    programme_line = forms.ChoiceField(
        label=_("Programme line"), choices=ProgrammeLine.choices, initial=ProgrammeLine.TRADING_HUB
    )

    def __init__(self, *args, candidates=(), **kwargs):
        from matching.channels import selectable_channels
        from matching.models import Push

        super().__init__(*args, **kwargs)
        self.fields["need_ids"].choices = [
            (c.need_id, f"{c.organization_name} · {c.need_title}")
            for c in candidates
            if not c.already_pushed
        ]
        self.fields["channel"].choices = selectable_channels()  # no log channel unless DEBUG
        self.fields["channel"].initial = Push.Channel.EMAIL


class FeeRangeForm(forms.ModelForm):
    class Meta:
        from .models import FeeRange

        model = FeeRange
        fields = [
            "lump_sum_min",
            "lump_sum_max",
            "royalty_rate_min",
            "royalty_rate_max",
            "profit_royalty_rate_min",
            "profit_royalty_rate_max",
            "basis",
        ]
        widgets = {"basis": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        for low, high in (
            ("lump_sum_min", "lump_sum_max"),
            ("royalty_rate_min", "royalty_rate_max"),
            ("profit_royalty_rate_min", "profit_royalty_rate_max"),
        ):
            a, b = data.get(low), data.get(high)
            if a is not None and a < 0:
                self.add_error(low, _("Cannot be negative."))
            if a is not None and b is not None and a > b:
                self.add_error(high, _("The maximum is below the minimum."))
        for name in (
            "royalty_rate_min",
            "royalty_rate_max",
            "profit_royalty_rate_min",
            "profit_royalty_rate_max",
        ):
            value = data.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, _("A rate is a fraction between 0 and 1 (0.03 for 3%)."))
        return data
