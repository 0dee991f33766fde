"""Listing pages: public list and detail, submission, review, notice, valuation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.permissions import public_view, staff_required
from portal.ratelimit import rate_limit

from .. import selectors, services
from ..forms import (
    IncomeValuationForm,
    ListingForm,
    ObjectionForm,
    ResolveObjectionForm,
    ReviewForm,
)
from ..models import Listing, Objection
from ..services.valuation import patent_value_score
from .common import OWN_LINE, form_errors, is_staff, run_service, user_organization


@public_view
@require_safe
def listing_list(request):
    text = request.GET.get("q", "").strip()
    listings = selectors.listings_public(
        text=text, purpose=request.GET.get("purpose", ""), subject=request.GET.get("subject", "")
    )
    page = Paginator(listings, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "trading/listing_list.html",
        {"page": page, "q": text, "purposes": Listing.Purpose.choices},
    )


def _can_manage(user, listing: Listing) -> bool:
    return is_staff(user) or (user.is_authenticated and user_organization(user) == listing.holder)


@public_view
@require_safe
def listing_detail(request, pk: int):
    listing = selectors.listing_get(pk=pk)
    public = listing is not None and listing.status in (
        Listing.Status.LISTED,
        Listing.Status.NOTICE,
        Listing.Status.CLOSED,
    )
    if listing is None or (not public and not _can_manage(request.user, listing)):
        raise Http404
    patents = [lp.patent for lp in listing.listing_patents.all()]
    return render(
        request,
        "trading/listing_detail.html",
        {
            "listing": listing,
            "patents": patents,
            "scores": [(p, patent_value_score(patent=p)) for p in patents],
            "valuations": listing.income_valuations.all(),
            "comparables": selectors.comparable_deals(patents=patents),
            "can_manage": _can_manage(request.user, listing),
            "staff": is_staff(request.user),
            "objection_form": ObjectionForm(),
            "review_form": ReviewForm(),
            "resolve_form": ResolveObjectionForm(),
            "valuation_form": IncomeValuationForm(),
            "open_objections": [
                o for o in listing.objections.all() if o.status == Objection.Status.OPEN
            ],
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def listing_create(request):
    staff = is_staff(request.user)
    form = ListingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holder = (data["holder"] if staff else None) or user_organization(request.user)
        if holder is None:
            form.add_error(
                "holder", _("Your account acts for no organization; staff name the holder.")
            )
        else:
            documents = (
                [(data["document_title"] or data["document"].name, data["document"])]
                if data["document"]
                else []
            )
            try:
                listing = services.listing_create(
                    holder=holder,
                    title=data["title"],
                    subject=data["subject"],
                    purpose=data["purpose"],
                    patents=data["patents"],
                    asking_price=data["asking_price"],
                    terms=data["terms"],
                    description=data["description"],
                    documents=documents,
                    created_by=request.user,
                )
            except services.TradingError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Listing saved as a draft."))
                return redirect("trading:listing_detail", pk=listing.pk)
    return render(request, "trading/listing_form.html", {"form": form, "staff": staff})


def _listing_for_manager(request, pk):
    listing = get_object_or_404(Listing, pk=pk)
    if not _can_manage(request.user, listing):
        raise PermissionDenied
    return listing


@login_required
@require_POST
def listing_submit(request, pk: int):
    listing = _listing_for_manager(request, pk)
    run_service(
        request,
        lambda: services.listing_submit(listing=listing, actor=request.user),
        success=_("Submitted for review."),
    )
    return redirect("trading:listing_detail", pk=pk)


@staff_required(line=OWN_LINE)
@require_POST
def listing_review(request, pk: int):
    listing = get_object_or_404(Listing, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("trading:listing_detail", pk=pk)
    run_service(
        request,
        lambda: services.listing_review(
            listing=listing,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
            actor=request.user,
        ),
        success=_("Review recorded."),
    )
    return redirect("trading:listing_detail", pk=pk)


@staff_required(line=OWN_LINE)
@require_POST
def listing_publish(request, pk: int):
    listing = get_object_or_404(Listing, pk=pk)
    run_service(
        request,
        lambda: services.listing_publish(listing=listing, actor=request.user),
        success=_("The listing is now public."),
    )
    return redirect("trading:listing_detail", pk=pk)


@login_required
@require_POST
def listing_withdraw(request, pk: int):
    listing = _listing_for_manager(request, pk)
    run_service(
        request,
        lambda: services.listing_withdraw(
            listing=listing, reason=request.POST.get("reason", ""), actor=request.user
        ),
        success=_("Listing withdrawn."),
    )
    return redirect("trading:listing_detail", pk=pk)


@public_view
@require_POST
# Anonymous visitors may object: limit floods like every public form (Redis down:
# 503 "try again later").
@rate_limit(group="trading.objection", key="ip", rate="10/h")
def objection_lodge(request, pk: int):
    listing = get_object_or_404(Listing, pk=pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("trading:listing_detail", pk=pk)
    run_service(
        request,
        lambda: services.objection_lodge(
            listing=listing, lodged_by=request.user, **form.cleaned_data
        ),
        success=_("Your objection has been lodged; the centre will resolve it."),
    )
    return redirect("trading:listing_detail", pk=pk)


@staff_required(line=OWN_LINE)
@require_POST
def objection_resolve(request, pk: int):
    objection = get_object_or_404(Objection, pk=pk)
    form = ResolveObjectionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        run_service(
            request,
            lambda: services.objection_resolve(
                objection=objection,
                upheld=form.cleaned_data["outcome"] == "uphold",
                resolution=form.cleaned_data["resolution"],
                actor=request.user,
            ),
            success=_("Objection resolved."),
        )
    return redirect("trading:listing_detail", pk=objection.listing_id)


@login_required
@require_POST
def income_valuation_create(request, pk: int):
    listing = _listing_for_manager(request, pk)
    form = IncomeValuationForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        run_service(
            request,
            lambda: services.income_valuation_create(
                listing=listing, created_by=request.user, **form.cleaned_data
            ),
            success=_("Income-approach valuation stored."),
        )
    return redirect("trading:listing_detail", pk=pk)
