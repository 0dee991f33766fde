"""Measures over the other apps' KPI selectors (the cross-app contract).

Each one passes the period and programme line to the owning app's selector, looked up
at call time (``selector``), and names the field the selector filters the period on
(``date_field``) so the monthly series is one grouped query.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .core import Aggregate, Column, measure, selector

_ORG_NAME = {"organization": True, "confidential": True}


@measure(
    "push_items_sent",
    label=_("Items pushed to organizations"),
    params=("kinds",),
    date_field="push__sent_at",
    select_related=("push", "push__organization"),
    source="matching.selectors.push_items_delivered_in_period",
    evidence_type=_("Delivery confirmed by the channel (provider receipt or SMTP hand-off)"),
    columns=(
        Column(_("Sent at"), "push__sent_at"),
        Column(_("Recipient"), "push__organization", **_ORG_NAME),
        Column(_("Item kind"), "kind"),
        Column(_("Item"), "title"),
        Column(_("Channel"), "push__channel"),
        Column(_("Delivered at"), "push__delivered_at"),
    ),
)
def push_items_sent(*, start, end, programme_line=None, kinds=None) -> QuerySet:
    return selector("matching.selectors.push_items_delivered_in_period")(
        start=start, end=end, programme_line=programme_line, kinds=kinds
    )


@measure(
    "needs_published",
    label=_("Technology needs published"),
    date_field="published_at",
    select_related=("organization",),
    source="matching.selectors.needs_published_in_period",
    evidence_type=_("Published need record"),
    columns=(
        Column(_("Published at"), "published_at"),
        Column(_("Organization"), "organization", **_ORG_NAME),
        Column(_("Need"), "title"),
    ),
)
def needs_published(*, start, end, programme_line=None) -> QuerySet:
    return selector("matching.selectors.needs_published_in_period")(
        start=start, end=end, programme_line=programme_line
    )


@measure(
    "events_held",
    label=_("Events held"),
    params=("kinds",),
    date_field="starts_at",
    source="operations_center.selectors.events_held_in_period",
    evidence_type=_("Event marked held after its date, with check-ins or outcomes recorded"),
    columns=(
        Column(_("Date"), "starts_at"),
        Column(_("Kind"), "kind"),
        Column(_("Event"), "title"),
        Column(_("Place"), "place"),
        Column(_("Organizer"), "organizer", personal=True),
    ),
)
def events_held(*, start, end, programme_line=None, kinds=None) -> QuerySet:
    return selector("operations_center.selectors.events_held_in_period")(
        start=start, end=end, programme_line=programme_line, kinds=kinds
    )


_DEAL_COLUMNS = (
    Column(_("Contract number"), "contract_number", identifier=True, confidential=True),
    Column(_("Recordal number"), "recordal_number", identifier=True, confidential=True),
    Column(_("Deal kind"), "kind"),
    Column(_("Signed on"), "signed_on"),
    Column(_("Assignor / licensor"), "assignor", **_ORG_NAME),
    Column(_("Assignee / licensee"), "assignee", **_ORG_NAME),
    Column(_("Amount (RMB)"), "amount", confidential=True),
)


_DEAL_PARAMS = (
    "kinds",
    "assignor_kinds",
    "assignee_kinds",
    "assignee_region_prefixes",
    "origin",
)
_DEAL_EVIDENCE = _("Signed contract with CNIPA recordal or a payment recorded")


@measure(
    "deal_patents",
    label=_("Patents in signed deals"),
    params=_DEAL_PARAMS,
    origin_split=True,
    evidence_type=_DEAL_EVIDENCE,
    date_field="deal__signed_on",
    select_related=("deal", "deal__assignor", "deal__assignee", "patent"),
    source="trading.selectors.deal_patents_in_period",
    columns=(
        Column(_("Publication number"), "patent__publication_number", identifier=True),
        Column(_("Contract number"), "deal__contract_number", identifier=True, confidential=True),
        Column(_("Recordal number"), "deal__recordal_number", identifier=True, confidential=True),
        Column(_("Deal kind"), "deal__kind"),
        Column(_("Signed on"), "deal__signed_on"),
        Column(_("Assignor / licensor"), "deal__assignor", **_ORG_NAME),
        Column(_("Assignee / licensee"), "deal__assignee", **_ORG_NAME),
    ),
)
def deal_patents(
    *,
    start,
    end,
    programme_line=None,
    kinds=None,
    assignor_kinds=None,
    assignee_kinds=None,
    assignee_region_prefixes=None,
    origin="own",
) -> QuerySet:
    return selector("trading.selectors.deal_patents_in_period")(
        start=start,
        end=end,
        programme_line=programme_line,
        kinds=kinds,
        assignor_kinds=assignor_kinds,
        assignee_kinds=assignee_kinds,
        assignee_region_prefixes=assignee_region_prefixes,
        origin=origin,
        evidenced=True,
    )


@measure(
    "deal_amount",
    label=_("Amount of signed deals"),
    params=_DEAL_PARAMS,
    origin_split=True,
    evidence_type=_DEAL_EVIDENCE,
    aggregate=Aggregate.SUM,
    sum_field="amount",
    date_field="signed_on",
    select_related=("assignor", "assignee"),
    source="trading.selectors.deals_in_period",
    columns=_DEAL_COLUMNS,
)
def deal_amount(
    *,
    start,
    end,
    programme_line=None,
    kinds=None,
    assignor_kinds=None,
    assignee_kinds=None,
    assignee_region_prefixes=None,
    origin="own",
) -> QuerySet:
    return selector("trading.selectors.deals_in_period")(
        start=start,
        end=end,
        programme_line=programme_line,
        kinds=kinds,
        assignor_kinds=assignor_kinds,
        assignee_kinds=assignee_kinds,
        assignee_region_prefixes=assignee_region_prefixes,
        origin=origin,
        evidenced=True,
    )


@measure(
    "listings_amount",
    label=_("Asking price of listings"),
    aggregate=Aggregate.SUM,
    sum_field="asking_price",
    date_field="listed_at",
    source="trading.selectors.listings_listed_in_period",
    params=("origin",),
    origin_split=True,
    evidence_type=_("Listing notice published"),
    columns=(
        Column(_("Listed at"), "listed_at"),
        Column(_("Listing"), ""),
        Column(_("Status"), "status"),
        Column(_("Asking price (RMB)"), "asking_price"),
    ),
)
def listings_amount(*, start, end, programme_line=None, origin="own") -> QuerySet:
    return selector("trading.selectors.listings_listed_in_period")(
        start=start, end=end, programme_line=programme_line, origin=origin
    )


@measure(
    "open_licences_concluded",
    label=_("Open licences concluded"),
    date_field="paid_on",
    source="openlicense.selectors.open_licences_concluded_in_period",
    evidence_type=_(
        "Licensee's written notice delivered to the patentee and payment confirmed by the "
        "patentee or accepted by staff on proof"
    ),
    columns=(
        Column(_("Paid on"), "paid_on"),
        Column(_("Publication number"), "declaration__patent__publication_number"),
        Column(_("Licence"), "", confidential=True),
    ),
)
def open_licences_concluded(*, start, end, programme_line=None) -> QuerySet:
    return selector("openlicense.selectors.open_licences_concluded_in_period")(
        start=start, end=end, programme_line=programme_line
    )


@measure(
    "partner_markets",
    label=_("Partner markets connected"),
    stock=True,
    history=False,
    source="trading.selectors.partner_markets_connected",
    evidence_type=_("Partner market that has exchanged data"),
    columns=(Column(_("Market"), ""),),
    note=_("Counted as connected now; the contract selector keeps no history."),
)
def partner_markets(*, end, programme_line=None) -> QuerySet:
    return selector("trading.selectors.partner_markets_connected")()


@measure(
    "trainees_trained",
    label=_("People trained"),
    personal_records=True,
    distinct="trainee",
    date_field="session__ends_on",
    source="talent.selectors.trainees_trained_in_period",
    evidence_type=_("Completion: attended and passed the assessment"),
    # One row per person per session; the figure counts people.
    columns=(
        Column(_("Trainee"), "trainee", personal=True),
        Column(_("Course"), "session__course"),
        Column(_("Session ended on"), "session__ends_on"),
    ),
)
def trainees_trained(*, start, end, programme_line=None) -> QuerySet:
    return selector("talent.selectors.trainees_trained_in_period")(
        start=start, end=end, programme_line=programme_line
    )


@measure(
    "supply_items_published",
    label=_("Talent-linked supply items published"),
    date_field="published_at",
    source="talent.selectors.supply_items_published_in_period",
    params=("origin",),
    origin_split=True,
    evidence_type=_("Published supply item linked to a talent"),
    columns=(Column(_("Supply item"), ""),),
)
def supply_items_published(*, start, end, programme_line=None, origin="own") -> QuerySet:
    return selector("talent.selectors.supply_items_published_in_period")(
        start=start, end=end, programme_line=programme_line, origin=origin
    )


@measure(
    "talents_held",
    label=_("Talent records held (talent registry)"),
    stock=True,
    history=False,
    personal_records=True,
    source="talent.selectors.talents_held",
    columns=(Column(_("Talent"), "", personal=True),),
    note=_("Counted as held now; the contract selector keeps no history."),
)
def talents_held(*, end, programme_line=None) -> QuerySet:
    return selector("talent.selectors.talents_held")()


@measure(
    "talents_counted",
    label=_("People in the talent base"),
    params=("high_yield_only",),
    stock=True,
    personal_records=True,
    source="talent.selectors.talents_counted",
    evidence_type=_("Resolved person linked to patent records (one per person, not per mention)"),
    columns=(Column(_("Talent"), "", personal=True),),
)
def talents_counted(*, end, programme_line=None, high_yield_only=False) -> QuerySet:
    return selector("talent.selectors.talents_counted")(
        end=end, high_yield_only=bool(high_yield_only)
    )


@measure(
    "qualitative_evidence",
    label=_("Qualitative evidence recorded"),
    params=("kinds",),
    date_field="dated_on",
    source="reporting.models.QualitativeEvidence",
    evidence_type=_("Document on file (agreement, establishment or adoption record)"),
    columns=(
        Column(_("Dated on"), "dated_on"),
        Column(_("Evidence type"), "kind"),
        Column(_("Title"), "title"),
        Column(_("Counterparty"), "counterparty", confidential=True),
        Column(_("Document SHA-256"), "document_sha256", identifier=True),
    ),
)
def qualitative_evidence(*, start, end, programme_line=None, kinds=None) -> QuerySet:
    from ..models import QualitativeEvidence

    records = QualitativeEvidence.objects.filter(dated_on__gte=start, dated_on__lt=end)
    if programme_line:
        records = records.filter(programme_line=programme_line)
    if kinds:
        records = records.filter(kind__in=list(kinds))
    return records
