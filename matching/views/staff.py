"""Centre staff pages: review, matches and pushes, imports, weights, the funnel."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.permissions import is_line_staff, staff_required
from portal.programme import ProgrammeLine
from portal.redirects import redirect_to_next

from ..forms import ExcelUploadForm, OutcomeForm, PushForm, ReviewForm, WeightsForm
from ..models import MatchWeights, Push, PushItem, TechNeed
from ..selectors import needs_awaiting_review, patent_vector_coverage, push_funnel
from ..services import (
    match_batch_excel,
    need_import_excel,
    need_match_list,
    need_push,
    need_review,
    push_item_record_outcome,
)


@staff_required
@require_safe
def review_queue(request):
    needs = needs_awaiting_review()
    published = TechNeed.objects.filter(status=TechNeed.Status.PUBLISHED).select_related(
        "organization"
    )[:50]
    return render(request, "matching/staff/queue.html", {"needs": needs, "published": published})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def need_staff_detail(request, pk: int):
    need = get_object_or_404(TechNeed.objects.select_related("organization", "region"), pk=pk)
    review_form = ReviewForm(request.POST if "review" in request.POST else None)
    if review_form.is_bound and review_form.is_valid():
        try:
            need_review(
                need=need,
                decision=review_form.cleaned_data["decision"],
                reviewer=request.user,
                note=review_form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Review saved."))
        return redirect("matching:need_staff_detail", pk=need.pk)
    matches, matches_computed_at = need_match_list(
        need=need, record_shown=request.method in ("GET", "HEAD")
    )
    choices = [(m.patent_id, f"{m.publication_number} {m.title}") for m in matches]
    push_form = PushForm(request.POST if "push" in request.POST else None, patent_choices=choices)
    if push_form.is_bound and push_form.is_valid():
        try:
            push = need_push(
                need=need,
                channel=push_form.cleaned_data["channel"],
                patent_ids=push_form.cleaned_data["patent_ids"],
                created_by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("matching:need_staff_detail", pk=need.pk)
        if push.status == Push.Status.SUPPRESSED:
            messages.warning(request, _("Not sent: %(reason)s") % {"reason": push.status_reason})
        else:
            messages.success(
                request, _("Push queued with %(count)d items.") % {"count": push.items.count()}
            )
        return redirect("matching:need_staff_detail", pk=need.pk)
    pushes = need.pushes.prefetch_related("items").order_by("-created_at")
    return render(
        request,
        "matching/staff/need_detail.html",
        {
            "need": need,
            "review_form": review_form,
            "matches": matches,
            "matches_computed_at": matches_computed_at,
            "vectors": patent_vector_coverage(),
            "push_form": push_form,
            "pushes": pushes,
        },
    )


@staff_required
@require_POST
def push_item_outcome(request, pk: int):
    item = get_object_or_404(PushItem, pk=pk)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        push_item_record_outcome(item=item, outcome=form.cleaned_data["outcome"])
        messages.success(request, _("Follow-up recorded."))
    elif request.method == "POST":
        messages.error(request, _("Choose a follow-up."))
    return redirect_to_next(request, "matching:funnel")


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def need_import(request):
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = need_import_excel(file=form.cleaned_data["file"], created_by=request.user)
        if "download" in request.POST and report.errors:
            response = HttpResponse(report.as_csv(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="need-import-errors.csv"'
            return response
    return render(request, "matching/staff/import.html", {"form": form, "report": report})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def match_batch(request):
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            workbook_bytes = match_batch_excel(file=form.cleaned_data["file"], top=20)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            response = HttpResponse(
                workbook_bytes,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = 'attachment; filename="match-results.xlsx"'
            return response
    return render(request, "matching/staff/batch.html", {"form": form, "error": error})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def weights_edit(request, line: str):
    # A line's weights are its own staff's to tune (centre management: every line).
    if line not in ProgrammeLine.values or not is_line_staff(request.user, line):
        raise PermissionDenied
    weights, _created = MatchWeights.objects.get_or_create(programme_line=line)
    form = WeightsForm(request.POST or None, instance=weights)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = request.user
        saved.save()
        messages.success(request, _("Weights saved."))
        return redirect("matching:weights_edit", line=line)
    return render(
        request,
        "matching/staff/weights.html",
        {"form": form, "line": ProgrammeLine(line), "lines": ProgrammeLine.choices},
    )


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@staff_required
@require_safe
def funnel(request):
    today = timezone.localdate()
    start = _date(request.GET.get("start"), today.replace(month=1, day=1))
    end = _date(request.GET.get("end"), today + dt.timedelta(days=1))
    line = request.GET.get("line") or None
    if line not in ProgrammeLine.values:
        line = None
    figures = push_funnel(start=start, end=end, programme_line=line)
    stages = [
        (_("Sent"), figures.sent),
        (_("Opened"), figures.opened),
        (_("Clicked"), figures.clicked),
        (_("Interested"), figures.interested),
        (_("Introduced"), figures.introduced),
        (pgettext("push funnel stage", "Deal"), figures.deal),
    ]
    recent = (
        PushItem.objects.select_related("push", "push__organization", "patent")
        .filter(push__status=Push.Status.SENT)
        .order_by("-push__sent_at")[:50]
    )
    return render(
        request,
        "matching/staff/funnel.html",
        {
            "stages": stages,
            "start": start,
            "end": end,
            "line": line,
            "lines": ProgrammeLine.choices,
            "recent": recent,
            "outcome_form": OutcomeForm(),
        },
    )
