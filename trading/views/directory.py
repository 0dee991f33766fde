"""Brokers, financing and the policy library."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.permissions import public_view

from .. import selectors
from ..forms import FinancingRequestForm, PolicySearchForm
from ..models import FinancingInstitution, FinancingRequest, Listing
from .common import user_organization


@public_view
@require_safe
def broker_list(request):
    return render(request, "trading/broker_list.html", {"brokers": selectors.broker_performance()})


@public_view
@require_safe
def broker_detail(request, pk: int):
    broker = get_object_or_404(selectors.broker_performance(), pk=pk)
    return render(
        request,
        "trading/broker_detail.html",
        {
            "broker": broker,
            "listings": broker.listings.filter(
                status__in=(Listing.Status.LISTED, Listing.Status.CLOSED)
            ),
            "deals": broker.deals.filter(status__in=selectors.COUNTED_STATUSES).select_related(
                "assignor", "assignee"
            ),
        },
    )


@public_view
@require_safe
def institution_list(request):
    return render(
        request,
        "trading/institution_list.html",
        {"institutions": FinancingInstitution.objects.filter(active=True)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def financing_request(request):
    listing = None
    if request.GET.get("listing", "").isdigit():
        listing = Listing.objects.filter(pk=request.GET["listing"]).first()
    form = FinancingRequestForm(request.POST or None)
    matches = None
    organization = (listing.holder if listing else None) or user_organization(request.user)
    if request.method == "POST" and form.is_valid():
        if organization is None:
            form.add_error(None, _("Your account acts for no organization."))
        else:
            data = form.cleaned_data
            FinancingRequest.objects.create(organization=organization, listing=listing, **data)
            matches = selectors.financing_matches(
                amount=data["amount"], industry=data["industry"], stage=data["stage"]
            )
    return render(
        request,
        "trading/financing_request.html",
        {"form": form, "listing": listing, "matches": matches},
    )


@public_view
@require_safe
def policy_list(request):
    form = PolicySearchForm(request.GET or None)
    policies = selectors.policies_search()
    if form.is_valid():
        data = form.cleaned_data
        policies = selectors.policies_search(
            text=data["q"],
            level=data["level"],
            region=data["region"],
            topic=data["topic"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    page = Paginator(policies, 20).get_page(request.GET.get("page"))
    return render(request, "trading/policy_list.html", {"form": form, "page": page})
