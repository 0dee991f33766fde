"""The staff search form: query-string parameters → ``patent_search`` arguments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import LegalStatus, Organization, PatentType

SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("date", _("Newest first")),
    ("date_asc", _("Oldest first")),
]
PAGE_SIZE = 20
FILTER_FIELDS = (
    "ipc",
    "cpc",
    "country",
    "patent_type",
    "legal_status",
    "applicant_kind",
    "region",
    "date_from",
    "date_to",
)


class PatentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=2000)
    ipc = forms.CharField(label="IPC", required=False, max_length=200)
    cpc = forms.CharField(label="CPC", required=False, max_length=200)
    country = forms.CharField(label=_("Country"), required=False, max_length=20)
    patent_type = forms.ChoiceField(
        label=_("Patent type"), required=False, choices=[("", "—"), *PatentType.choices]
    )
    legal_status = forms.ChoiceField(
        label=_("Legal status"), required=False, choices=[("", "—"), *LegalStatus.choices]
    )
    applicant_kind = forms.ChoiceField(
        label=_("Applicant kind"),
        required=False,
        choices=[("", "—"), *Organization.Kind.choices],
    )
    region = forms.CharField(label=_("Region code"), required=False, max_length=6)
    date_from = forms.DateField(label=_("Published from"), required=False)
    date_to = forms.DateField(label=_("Published until"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1)

    def search_arguments(self) -> dict:
        data = self.cleaned_data
        filters = {key: data[key] for key in FILTER_FIELDS if data.get(key)}
        page = data.get("page") or 1
        return {
            "text": data.get("q") or "",
            "filters": filters,
            "sort": data.get("sort") or "relevance",
            "limit": PAGE_SIZE,
            "offset": (page - 1) * PAGE_SIZE,
            "facets": True,
        }


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
