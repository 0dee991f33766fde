"""Brokers, financing and the policy library."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.permissions import public_view, scope_to_organization

from .. import selectors, services
from ..forms import FinancingRequestForm, PolicySearchForm
from ..models import FinancingInstitution, Listing
from ..services import TradingError
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
    # The request is filed for the organization the user acts for; a listing in the
    # query string is only that organization's own (another's is a 404, issue 15).
    organization = user_organization(request.user)
    listing = None
    if request.GET.get("listing"):
        if not request.GET["listing"].isdigit():
            raise Http404(_("No such listing."))
        listing = get_object_or_404(
            scope_to_organization(
                Listing.objects.all(), request.user, "holder", staff_see_all=False
            ),
            pk=request.GET["listing"],
        )
    form = FinancingRequestForm(request.POST or None)
    matches = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.financing_request_create(organization=organization, listing=listing, **data)
        except TradingError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
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
