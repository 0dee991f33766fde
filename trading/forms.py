"""Forms of the trading hub: they parse input; services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from patents.models import Organization, Patent
from patents.normalize import publication_number_lookup_forms
from portal.programme import ProgrammeLine

from .models import Deal, Listing, SettlementMilestone


def parse_patent_numbers(text: str) -> tuple[list[Patent], list[str]]:
    """Patents for the numbers typed one per line (or comma-separated), and
    the numbers not found."""
    found, missing = [], []
    for raw in text.replace(",", "\n").replace("，", "\n").splitlines():
        raw = raw.strip()
        if not raw:
            continue
        if "\x00" in raw:  # no number holds a NUL, and the database refuses one in a query
            missing.append(raw.replace("\x00", ""))
            continue
        patent = Patent.objects.filter(
            publication_number__in=publication_number_lookup_forms(raw)
        ).first()
        if patent is None:
            missing.append(raw)
        elif patent not in found:
            found.append(patent)
    return found, missing


class PatentNumbersField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value):
        value = super().clean(value)
        patents, missing = parse_patent_numbers(value or "")
        if missing:
            raise forms.ValidationError(
                _("No patent with number: %(n)s.") % {"n": ", ".join(missing)}
            )
        return patents


class OrganizationByNameField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        org = (
            Organization.objects.filter(name=value.strip()).first()
            or Organization.objects.filter(uscc=value.strip().upper()).first()
        )
        if org is None:
            raise forms.ValidationError(
                _("No organization named %(n)s; type its full registered name or USCC.")
                % {"n": value}
            )
        return org


class ListingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    subject = forms.ChoiceField(label=_("Subject"), choices=Listing.Subject.choices)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Listing.Purpose.choices)
    patents = PatentNumbersField(
        label=_("Patent numbers"), required=False, help_text=_("One publication number per line.")
    )
    asking_price = forms.DecimalField(
        label=_("Asking price (RMB)"), required=False, min_value=0, decimal_places=2
    )
    terms = forms.CharField(
        label=_("Terms"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    holder = OrganizationByNameField(label=_("Holder (staff only)"), required=False, max_length=255)
    document_title = forms.CharField(label=_("Document title"), required=False, max_length=255)
    document = forms.FileField(label=_("Document"), required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve and open public notice")), ("reject", _("Reject"))]
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObjectionForm(forms.Form):
    objector_name = forms.CharField(label=_("Your name or organization"), max_length=255)
    contact = forms.CharField(label=_("Contact details"), max_length=255, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveObjectionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("dismiss", _("Dismiss")), ("uphold", _("Uphold (rejects the listing)"))]
    )
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}))


class IncomeValuationForm(forms.Form):
    revenue_forecast = forms.CharField(
        label=_("Revenue forecast per year (RMB)"),
        help_text=_("Comma-separated, first year first, e.g. 1000000, 1200000, 1500000."),
    )
    royalty_share = forms.DecimalField(label=_("Royalty share"), help_text=_("e.g. 0.25"))
    discount_rate = forms.DecimalField(label=_("Discount rate"), help_text=_("e.g. 0.12"))
    remaining_years = forms.IntegerField(label=_("Remaining economic life (years)"), min_value=1)

    def clean_revenue_forecast(self):
        parts = [
            p.strip() for p in self.cleaned_data["revenue_forecast"].replace("，", ",").split(",")
        ]
        return [p for p in parts if p]


class DealForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Deal.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    assignor = OrganizationByNameField(label=_("Assignor / licensor"), max_length=255)
    assignee = OrganizationByNameField(label=_("Assignee / licensee"), max_length=255)
    patents = PatentNumbersField(label=_("Patent numbers"))
    amount = forms.DecimalField(label=_("Amount (RMB)"), min_value=0, decimal_places=2)
    contract_number = forms.CharField(label=_("Contract number"), required=False, max_length=64)
    ends_on = forms.DateField(label=_("Licence ends on"), required=False)
    broker = forms.ModelChoiceField(label=_("Broker"), queryset=None, required=False)
    commission_amount = forms.DecimalField(
        label=_("Commission (RMB)"), min_value=0, required=False, decimal_places=2
    )
    source_event_id = forms.IntegerField(
        label=_("Event that led to it (id)"), required=False, min_value=1
    )
    source_push_id = forms.IntegerField(
        label=_("Push that led to it (id)"), required=False, min_value=1
    )
    programme_line = forms.ChoiceField(
        label=_("Programme line"),
        choices=ProgrammeLine.choices,
        required=False,
        help_text=_("The line whose KPIs count this deal."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Broker

        self.fields["broker"].queryset = Broker.objects.filter(active=True)


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"))
    contract_number = forms.CharField(label=_("Contract number"), required=False, max_length=64)


class RecordForm(forms.Form):
    recordal_number = forms.CharField(label=_("CNIPA recordal number"), max_length=64)
    recorded_on = forms.DateField(label=_("Recorded on"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"), choices=SettlementMilestone.Kind.choices)
    amount = forms.DecimalField(label=_("Amount (RMB)"), decimal_places=2)
    due_on = forms.DateField(label=_("Due on"), required=False)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"))
    reference = forms.CharField(label=_("Payment reference"), required=False, max_length=128)


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    file = forms.FileField(label=_("File"))


class FinancingRequestForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount sought (RMB)"), min_value=1, decimal_places=2)
    stage = forms.CharField(label=_("Stage"), required=False, max_length=32)
    industry = forms.CharField(label=_("Industry (IPC prefix)"), required=False, max_length=16)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PolicySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", "—")])
    topic = forms.CharField(label=_("Topic"), required=False)
    region = forms.RegexField(
        label=_("Region code"),
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": _("A six-digit GB/T 2260 code, e.g. 370000 for Shandong.")},
    )
    date_from = forms.DateField(label=_("Issued from"), required=False)
    date_to = forms.DateField(label=_("Issued to"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Policy

        self.fields["level"].choices = [("", "—"), *Policy.Level.choices]


class SessionOpenForm(forms.Form):
    """Open a transaction on a public listing; the service checks the rules."""

    mode = forms.ChoiceField(label=_("Transaction mode"), choices=())
    agreed_price = forms.DecimalField(
        label=_("Agreed price (RMB)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    counterparty = OrganizationByNameField(label=_("Buyer"), required=False, max_length=255)
    starting_price = forms.DecimalField(
        label=_("Starting price (RMB)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    reserve_price = forms.DecimalField(
        label=_("Reserve price (RMB)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    increment = forms.DecimalField(
        label=_("Bid increment (RMB)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    deposit_amount = forms.DecimalField(
        label=_("Deposit (RMB)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    starts_at = forms.DateTimeField(
        label=_("Bidding starts"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    bidding_minutes = forms.IntegerField(
        label=_("Bidding window (minutes)"), required=False, min_value=1, max_value=60 * 24 * 60
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import TradingSession

        self.fields["mode"].choices = TradingSession.Mode.choices


class BidForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Your bid (RMB)"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )


class DepositForm(forms.Form):
    bidder = OrganizationByNameField(label=_("Bidder"), max_length=255)
    amount = forms.DecimalField(
        label=_("Amount (RMB)"), min_value=0, max_digits=14, decimal_places=2
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Payment reference"), max_length=128, required=False)


class RefundForm(forms.Form):
    refunded_on = forms.DateField(
        label=_("Refunded on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Payment reference"), max_length=128, required=False)


class ConcludeForm(forms.Form):
    price = forms.DecimalField(
        label=_("Contract price (RMB)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
