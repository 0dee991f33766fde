"""Pages of talent: thin views over services and selectors."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from matching.models import TechNeed
from patents.models import InventorMention
from patents.search import SearchQueryError
from portal.exports import csv_row
from portal.permissions import is_line_staff, public_view, staff_required
from portal.programme import ProgrammeLine
from portal.ratelimit import rate_limit

from . import selectors, services
from .forms import (
    ExpertSearchForm,
    MergeForm,
    MoveForm,
    ObjectionDecisionForm,
    ObjectionForm,
    RegionFilterForm,
    SplitForm,
)
from .models import Enrollment, Objection, ProfileAccess, SupplyItem, Talent, TalentLink

# Curating profiles (review, corrections, objections), exports and training
# certificates are the talent line's work; reading profiles and experts is
# shared by every line's staff, who match needs to people (docs/architecture.md
# "Programme lines and staff pages"). Enterprises and other users get neither:
# a profile is personal data (PIPL), the public sees the supply directory only.
OWN_LINE = ProgrammeLine.TALENT


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


@staff_required()
@require_safe
def experts(request):
    form = ExpertSearchForm(request.GET or None)
    hits, error = [], None
    if form.is_valid():
        try:
            hits = selectors.experts_find(
                text=form.cleaned_data["q"], region=form.cleaned_data["region"]
            )
        except SearchQueryError as exc:
            error = str(exc)
    return render(request, "talent/experts.html", {"form": form, "hits": hits, "error": error})


@staff_required()
@require_safe
def need_experts(request, need_id: int):
    """Experts for one technology need, reached from the need's staff page."""
    need = get_object_or_404(TechNeed.objects.select_related("organization"), pk=need_id)
    form = RegionFilterForm(request.GET or None)
    region = form.cleaned_data["region"] if form.is_valid() else ""
    try:
        hits = selectors.experts_for_need(need=need, region=region)
        error = None
    except SearchQueryError as exc:
        hits, error = [], str(exc)
    return render(
        request,
        "talent/need_experts.html",
        {"need": need, "form": form, "hits": hits, "error": error},
    )


@staff_required()
@require_safe
def profile(request, pk: int):
    data = selectors.talent_profile(talent_id=pk)
    if data is None:
        raise Http404(_("This profile does not exist or has been withdrawn."))
    services.profile_access_record(
        talent=data.talent,
        user=request.user,
        action=ProfileAccess.Action.VIEW,
        ip_address=_ip(request),
    )
    # The correction tools are the talent line's.
    is_staff = is_line_staff(request.user, OWN_LINE)
    context = {"p": data, "is_staff": is_staff}
    if is_staff:
        context["merge_form"] = MergeForm()
        context["split_form"] = SplitForm(
            choices=[(r["link"].mention_id, r["patent"].publication_number) for r in data.patents]
        )
        context["move_form"] = MoveForm()
    return render(request, "talent/profile.html", context)


@staff_required(line=OWN_LINE)
@require_safe
def profile_export(request, pk: int):
    data = selectors.talent_profile(talent_id=pk)
    if data is None:
        raise Http404
    services.profile_access_record(
        talent=data.talent,
        user=request.user,
        action=ProfileAccess.Action.EXPORT,
        ip_address=_ip(request),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="talent-{pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["talent", "publication_number", "title", "role", "status", "confidence"])
    for row in data.patents:
        writer.writerow(
            csv_row(
                [
                    data.talent.display_name,
                    row["patent"].publication_number,
                    row["patent"].title,
                    row["role"],
                    row["status"],
                    f"{row['confidence']:.2f}",
                ]
            )
        )
    return response


@public_view
@require_http_methods(["GET", "HEAD", "POST"])
# A public form: limited like every other (Redis down: 503 "try again later").
@rate_limit(group="talent.objection", key="ip", rate="10/h")
def objection(request, pk: int):
    """Anyone (the person, without an account) can object to a profile."""
    talent = get_object_or_404(Talent, pk=pk)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_submit(talent=talent, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. Staff will review your request and reply."))
            return redirect("talent:objection", pk=pk)
    return render(request, "talent/objection.html", {"form": form, "talent": talent})


@staff_required(line=OWN_LINE)
@require_safe
def objections(request):
    items = Objection.objects.select_related("talent").order_by("status", "-created_at")[:200]
    return render(
        request, "talent/objections.html", {"items": items, "form": ObjectionDecisionForm()}
    )


@staff_required(line=OWN_LINE)
@require_POST
def objection_decide(request, pk: int):
    obj = get_object_or_404(Objection, pk=pk)
    form = ObjectionDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_decide(objection=obj, user=request.user, **form.cleaned_data)
            messages.success(request, _("Decision recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("talent:objections")


@staff_required(line=OWN_LINE)
@require_safe
def review_queue(request):
    page = Paginator(selectors.review_queue(), 50).get_page(request.GET.get("page"))
    return render(request, "talent/review.html", {"page": page})


@staff_required(line=OWN_LINE)
@require_POST
def link_confirm(request, pk: int):
    services.link_confirm(link=get_object_or_404(TalentLink, pk=pk), user=request.user)
    messages.success(request, _("Link confirmed; it will survive every re-run."))
    return redirect("talent:review")


@staff_required(line=OWN_LINE)
@require_POST
def correct(request, pk: int, action: str):
    talent = get_object_or_404(Talent, pk=pk)
    try:
        if action == "merge":
            form = MergeForm(request.POST)
            if form.is_valid():
                services.talent_merge(
                    target=talent,
                    sources=[form.cleaned_data["other"]],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
        elif action == "split":
            choices = list(
                TalentLink.objects.filter(talent=talent).values_list("mention_id", "mention_id")
            )
            form = SplitForm(request.POST, choices=choices)
            if form.is_valid():
                new = services.talent_split(
                    talent=talent,
                    mention_ids=form.cleaned_data["mentions"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Split off as talent %(id)s.") % {"id": new.pk})
        elif action == "move":
            form = MoveForm(request.POST)
            mention_id = (request.POST.get("mention") or "").strip()
            if not mention_id.isdigit():  # a malformed id is bad input, not a 500
                messages.error(request, _("Choose the inventor record to move."))
                return redirect("talent:profile", pk=pk)
            mention = get_object_or_404(
                InventorMention, pk=int(mention_id), talent_link__talent=talent
            )
            if form.is_valid():
                services.mention_move(
                    mention=mention, talent=form.cleaned_data["target"], user=request.user
                )
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("talent:profile", pk=pk)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    elif action != "split":
        messages.success(request, _("Correction saved; it will survive every re-run."))
    target = (
        pk if Talent.objects.filter(pk=pk).exists() else form.cleaned_data.get("other", talent).pk
    )
    return redirect("talent:profile", pk=target)


@public_view
@require_safe
def supply_directory(request):
    items = selectors.supply_directory(
        text=request.GET.get("q", "").strip(), kind=request.GET.get("kind", "")
    )
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(
        request, "talent/supply_list.html", {"page": page, "kinds": SupplyItem.Kind.choices}
    )


@public_view
@require_safe
def supply_detail(request, pk: int):
    # A published item of the public directory; which enterprises it was pushed
    # to is the centre's business, shown to staff only.
    item = get_object_or_404(selectors.supply_directory(), pk=pk)
    is_staff = is_line_staff(request.user, OWN_LINE)
    pushes = selectors.supply_item_push_history(item=item) if is_staff else None
    return render(request, "talent/supply_detail.html", {"item": item, "pushes": pushes})


@staff_required(line=OWN_LINE)
@require_safe
def certificate(request, pk: int):
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("session__course", "trainee"), pk=pk
    )
    try:
        pdf = services.certificate_issue(enrollment=enrollment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        # Enrollments are edited inline on their session's admin page.
        return redirect("admin:talent_trainingsession_change", enrollment.session_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{enrollment.certificate_number}.pdf"'
    return response
