"""Deal pages: creation, signing, recordal, settlement milestones, evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.permissions import staff_required
from portal.programme import ProgrammeLine
from portal.programme_lines import default_line_for

from .. import services
from ..forms import (
    CancelForm,
    DealForm,
    EvidenceForm,
    MilestoneForm,
    PaymentForm,
    RecordForm,
    SignForm,
)
from ..models import Deal, Listing, SettlementMilestone
from .common import OWN_LINE, form_errors, run_service


@staff_required(line=OWN_LINE)
@require_safe
def deal_list(request):
    deals = Deal.objects.select_related("assignor", "assignee").order_by("-created_at")
    kind = request.GET.get("kind", "")
    if kind:
        deals = deals.filter(kind=kind)
    page = Paginator(deals, 25).get_page(request.GET.get("page"))
    return render(
        request, "trading/deal_list.html", {"page": page, "kinds": Deal.Kind.choices, "kind": kind}
    )


@staff_required(line=OWN_LINE)
@require_http_methods(["GET", "HEAD", "POST"])
def deal_create(request):
    listing = None
    if request.GET.get("listing", "").isdigit():
        listing = Listing.objects.filter(pk=request.GET["listing"]).first()
    initial = {"programme_line": default_line_for(request.user, ProgrammeLine.TRADING_HUB)}
    if listing is not None:
        initial |= {
            "programme_line": listing.programme_line,
            "title": listing.title,
            "assignor": listing.holder.name,
            "patents": "\n".join(
                lp.patent.publication_number
                for lp in listing.listing_patents.select_related("patent")
            ),
            "amount": listing.asking_price,
            "kind": Deal.Kind.TRANSFER
            if listing.purpose == Listing.Purpose.TRANSFER
            else Deal.Kind.LICENCE_ORDINARY
            if listing.purpose == Listing.Purpose.LICENCE
            else Deal.Kind.EQUITY,
            "broker": listing.broker_id,
        }
    form = DealForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deal = services.deal_create(
                kind=data["kind"],
                title=data["title"],
                assignor=data["assignor"],
                assignee=data["assignee"],
                patents=data["patents"],
                amount=data["amount"],
                contract_number=data["contract_number"],
                ends_on=data["ends_on"],
                broker=data["broker"],
                commission_amount=data["commission_amount"] or 0,
                source_event_id=data["source_event_id"],
                source_push_id=data["source_push_id"],
                listing=listing,
                programme_line=data["programme_line"]
                or default_line_for(request.user, ProgrammeLine.TRADING_HUB),
                created_by=request.user,
            )
        except services.TradingError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Deal created as a draft."))
            return redirect("trading:deal_detail", pk=deal.pk)
    return render(request, "trading/deal_form.html", {"form": form, "listing": listing})


@staff_required(line=OWN_LINE)
@require_safe
def deal_detail(request, pk: int):
    deal = get_object_or_404(
        Deal.objects.select_related(
            "assignor",
            "assignee",
            "broker",
            "listing",
            "source_event",
            "source_push__organization",
        ),
        pk=pk,
    )
    return render(
        request,
        "trading/deal_detail.html",
        {
            "deal": deal,
            "patents": [dp.patent for dp in deal.deal_patents.select_related("patent")],
            "milestones": deal.milestones.all(),
            "audit": deal.audit_trail.select_related("actor"),
            "sign_form": SignForm(),
            "record_form": RecordForm(),
            "cancel_form": CancelForm(),
            "milestone_form": MilestoneForm(),
            "payment_form": PaymentForm(),
            "evidence_form": EvidenceForm(),
        },
    )


def _post_form(request, form_class, call, *, success, pk):
    form = form_class(request.POST, request.FILES or None)
    if not form.is_valid():
        form_errors(request, form)
    else:
        run_service(request, lambda: call(form.cleaned_data), success=success)
    return redirect("trading:deal_detail", pk=pk)


@staff_required(line=OWN_LINE)
@require_POST
def deal_sign(request, pk: int):
    deal = get_object_or_404(Deal, pk=pk)
    return _post_form(
        request,
        SignForm,
        lambda d: services.deal_sign(deal=deal, actor=request.user, **d),
        success=_("Deal signed."),
        pk=pk,
    )


@staff_required(line=OWN_LINE)
@require_POST
def deal_record(request, pk: int):
    deal = get_object_or_404(Deal, pk=pk)
    return _post_form(
        request,
        RecordForm,
        lambda d: services.deal_record(deal=deal, actor=request.user, **d),
        success=_("Recordal entered."),
        pk=pk,
    )


@staff_required(line=OWN_LINE)
@require_POST
def deal_cancel(request, pk: int):
    deal = get_object_or_404(Deal, pk=pk)
    return _post_form(
        request,
        CancelForm,
        lambda d: services.deal_cancel(deal=deal, actor=request.user, **d),
        success=_("Deal cancelled."),
        pk=pk,
    )


@staff_required(line=OWN_LINE)
@require_POST
def deal_evidence_add(request, pk: int):
    deal = get_object_or_404(Deal, pk=pk)
    return _post_form(
        request,
        EvidenceForm,
        lambda d: services.deal_evidence_add(deal=deal, actor=request.user, **d),
        success=_("Evidence file added."),
        pk=pk,
    )


@staff_required(line=OWN_LINE)
@require_POST
def milestone_add(request, pk: int):
    deal = get_object_or_404(Deal, pk=pk)
    return _post_form(
        request,
        MilestoneForm,
        lambda d: services.milestone_add(deal=deal, actor=request.user, **d),
        success=_("Milestone added."),
        pk=pk,
    )


@staff_required(line=OWN_LINE)
@require_POST
def milestone_action(request, pk: int, action: str):
    milestone = get_object_or_404(SettlementMilestone, pk=pk)
    deal_pk = milestone.deal_id
    if action == "paid":
        return _post_form(
            request,
            PaymentForm,
            lambda d: services.milestone_mark_paid(milestone=milestone, actor=request.user, **d),
            success=_("Payment recorded."),
            pk=deal_pk,
        )
    if action == "confirm":
        run_service(
            request,
            lambda: services.milestone_confirm(milestone=milestone, actor=request.user),
            success=_("Payment confirmed."),
        )
    elif action == "waive":
        run_service(
            request,
            lambda: services.milestone_waive(
                milestone=milestone, reason=request.POST.get("reason", ""), actor=request.user
            ),
            success=_("Milestone waived."),
        )
    return redirect("trading:deal_detail", pk=deal_pk)


@staff_required(line=OWN_LINE)
@require_safe
def deal_contract_pdf(request, pk: int):
    """The unsigned contract generated from the deal, for the parties to sign."""
    from django.http import HttpResponse

    from ..services.contracts import deal_contract_pdf as render_contract

    deal = get_object_or_404(Deal.objects.select_related("assignor", "assignee", "listing"), pk=pk)
    response = HttpResponse(render_contract(deal=deal), content_type="application/pdf")
    name = f"contract-{deal.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(line=OWN_LINE)
@require_POST
def deal_contract_upload(request, pk: int):
    from ..services.contracts import deal_contract_upload as upload

    deal = get_object_or_404(Deal.objects.select_related("assignor", "assignee"), pk=pk)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("Choose the signed contract (PDF) to upload."))
    else:
        run_service(
            request,
            lambda: upload(deal=deal, file=file, actor=request.user, request=request),
            success=_("Signed contract verified and stored."),
        )
    return redirect("trading:deal_detail", pk=pk)
