"""Enterprise-facing pages: registration, the need form, my needs, the directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.permissions import public_view
from portal.ratelimit import rate_limit

from ..forms import RegistrationForm, TechNeedForm
from ..models import TechNeed
from ..selectors import needs_of_organization, needs_published
from ..services import (
    EnterpriseRegistration,
    RegistrationOutcome,
    enterprise_register,
    need_submit,
    need_update,
)

FORM_RATE = "10/h"


def _organization(request):
    profile = getattr(request.user, "profile", None)
    return profile.organization if profile else None


# Over the limit: 429 "try again in N minutes"; Redis down: 503 "try again later"
# (portal.ratelimit), never a 500 and never an uncounted flood.
@public_view
@rate_limit(group="matching.register", key="ip", rate=FORM_RATE)
@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = enterprise_register(
                registration=EnterpriseRegistration(
                    username=data["username"],
                    password=data["password"],
                    email=data["email"],
                    organization_name=data["organization_name"],
                    uscc=data["uscc"],
                    contact_name=data["contact_name"],
                    mobile=data["mobile"],
                    invitation_code=data["invitation_code"],
                    evidence=data["business_licence"],
                )
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            if result.outcome == RegistrationOutcome.AWAITING_APPROVAL:
                messages.info(
                    request,
                    _(
                        "Registered. This organization already has an account: the centre "
                        "checks your business licence before you may act for it."
                    ),
                )
                return redirect("organization_membership")
            messages.success(request, _("Registered. You can now submit a technology need."))
            return redirect("matching:need_create")
    return render(request, "matching/register.html", {"form": form})


@login_required
@rate_limit(group="matching.need_create", key="user_or_ip", rate=FORM_RATE)
@require_http_methods(["GET", "HEAD", "POST"])
def need_create(request):
    organization = _organization(request)
    if organization is None:
        messages.info(request, _("Register your enterprise first."))
        return redirect("matching:register")
    form = TechNeedForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = need_submit(
                organization=organization,
                fields=form.need_fields(),
                attachments=form.cleaned_data["attachments"],
                created_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your need awaits review by the centre."))
            return redirect("matching:need_mine_detail", pk=need.pk)
    initial_contact = {}
    if request.method == "GET":
        profile = request.user.profile
        initial_contact = {
            "contact_name": request.user.first_name,
            "contact_mobile": profile.mobile,
        }
        form = TechNeedForm(initial=initial_contact)
    return render(request, "matching/need_form.html", {"form": form})


@login_required
@require_safe
def need_mine(request):
    organization = _organization(request)
    needs = (
        needs_of_organization(organization=organization)
        if organization
        else TechNeed.objects.none()
    )
    return render(request, "matching/need_mine.html", {"needs": needs})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def need_mine_detail(request, pk: int):
    organization = _organization(request)
    need = get_object_or_404(TechNeed, pk=pk, organization=organization)
    form = None
    if need.status == TechNeed.Status.RETURNED:
        form = TechNeedForm(request.POST or None, instance=need, with_captcha=False)
        if request.method == "POST" and form.is_valid():
            fields = form.need_fields()
            need.refresh_from_db()
            need_update(need=need, fields=fields)
            messages.success(request, _("Resubmitted for review."))
            return redirect("matching:need_mine_detail", pk=need.pk)
    return render(request, "matching/need_mine_detail.html", {"need": need, "form": form})


@public_view
@require_safe
def need_directory(request):
    needs = needs_published().select_related("organization", "region")
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        needs = needs.filter(title__icontains=query) | needs.filter(description__icontains=query)
    page = Paginator(needs, 20).get_page(request.GET.get("page"))
    return render(request, "matching/directory.html", {"page": page, "query": query})


@public_view
@require_safe
def need_public_detail(request, pk: int):
    need = get_object_or_404(needs_published().select_related("organization", "region"), pk=pk)
    return render(request, "matching/need_public_detail.html", {"need": need})
