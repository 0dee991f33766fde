"""Pages of the open-licence sub-platform."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.audit import audit_record
from portal.permissions import is_line_staff, public_view, staff_required
from portal.programme import ProgrammeLine
from portal.programme_lines import default_line_for
from trading.views.common import form_errors, run_service, user_organization

from . import selectors, services
from .forms import (
    AnnounceForm,
    ConsentForm,
    DeclarationForm,
    FeeRangeForm,
    FilingForm,
    PaymentForm,
    PushForm,
    SyncImportForm,
    WithdrawForm,
)
from .models import Declaration, FeeRange, OpenLicence, PatenteeConsent, SyncRun
from .push import open_licence_push
from .services.sync import master_export, master_import


@public_view
@require_safe
def declaration_list(request):
    text = request.GET.get("q", "").strip()
    page = Paginator(selectors.declarations_public(text=text), 20).get_page(request.GET.get("page"))
    mine = None
    if request.user.is_authenticated:
        org = user_organization(request.user)
        qs = (
            Declaration.objects.all() if is_line_staff(request.user) else Declaration.objects.none()
        )
        if org is not None and not is_line_staff(request.user):
            qs = Declaration.objects.filter(consents__organization=org)
        mine = qs.exclude(status=Declaration.Status.ANNOUNCED).select_related("patent")[:50]
    return render(
        request, "openlicense/declaration_list.html", {"page": page, "q": text, "mine": mine}
    )


def _is_patentee(user, declaration) -> bool:
    org = user_organization(user)
    return org is not None and declaration.consents.filter(organization=org).exists()


def _can_manage(user, declaration) -> bool:
    return user.is_authenticated and (is_line_staff(user) or _is_patentee(user, declaration))


@public_view
@require_safe
def declaration_detail(request, pk: int):
    declaration = get_object_or_404(
        Declaration.objects.select_related("patent").prefetch_related("consents__organization"),
        pk=pk,
    )
    manage = _can_manage(request.user, declaration)
    public = declaration.status in (Declaration.Status.ANNOUNCED, Declaration.Status.WITHDRAWN)
    if not public and not manage:
        raise Http404
    org = user_organization(request.user) if request.user.is_authenticated else None
    licences = declaration.licences.select_related("licensee")
    if not is_line_staff(request.user):
        licences = licences.filter(licensee=org) if not manage else licences
    eligible, reason = selectors.annual_fee_reduction(patent=declaration.patent)
    return render(
        request,
        "openlicense/declaration_detail.html",
        {
            "declaration": declaration,
            "precheck": services.declaration_precheck(declaration=declaration),
            "comparables": selectors.comparable_fees(
                patent=declaration.patent, exclude_id=declaration.pk
            ),
            "fee_range": selectors.fee_range_for(patent_type=declaration.patent.patent_type),
            "manage": manage,
            "staff": is_line_staff(request.user),
            "can_take": org is not None
            and org.kind == "enterprise"
            and declaration.status == Declaration.Status.ANNOUNCED
            and not _is_patentee(request.user, declaration),
            "licences": licences,
            "withdraw_form": WithdrawForm(
                consents=declaration.consents.select_related("organization")
            ),
            "announce_form": AnnounceForm(),
            "consent_form": ConsentForm(),
            "fee_reduction": (eligible, reason),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def declaration_create(request):
    form = DeclarationForm(
        request.POST or None,
        request.FILES or None,
        initial={"programme_line": default_line_for(request.user, ProgrammeLine.TRADING_HUB)},
    )
    if not is_line_staff(request.user):
        form.fields["programme_line"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        patent = data["patent_number"]
        patentees = [
            link.organization for link in patent.applicant_links.select_related("organization")
        ]
        org = user_organization(request.user)
        if not is_line_staff(request.user) and org not in patentees:
            form.add_error("patent_number", _("Only a patentee (or centre staff) may declare."))
        else:
            document = data["consent_document"]
            documents = {org.pk: document} if document and org in patentees else {}
            try:
                declaration = services.declaration_create(
                    patent=patent,
                    consent_documents=documents,
                    fee_lump_sum=data["fee_lump_sum"],
                    royalty_rate=data["royalty_rate"],
                    royalty_base=data["royalty_base"],
                    payment_method=data["payment_method"],
                    term_years=data["term_years"],
                    evaluation_report_number=data["evaluation_report_number"],
                    pledged=data["pledged"],
                    pledgee_consent=data["pledgee_consent"],
                    programme_line=(
                        data["programme_line"]
                        if is_line_staff(request.user) and data["programme_line"]
                        else ProgrammeLine.TRADING_HUB
                    ),
                    created_by=request.user,
                )
            except services.OpenLicenceError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Declaration saved as a draft; see the pre-check."))
                return redirect("openlicense:detail", pk=declaration.pk)
    return render(request, "openlicense/declaration_form.html", {"form": form})


def _managed(request, pk):
    declaration = get_object_or_404(Declaration, pk=pk)
    if not _can_manage(request.user, declaration):
        raise PermissionDenied
    return declaration


@login_required
@require_POST
def declaration_submit(request, pk: int):
    declaration = _managed(request, pk)
    run_service(
        request,
        lambda: services.declaration_submit(declaration=declaration, actor=request.user),
        success=_("Declaration submitted."),
    )
    return redirect("openlicense:detail", pk=pk)


@staff_required()
@require_POST
def declaration_announce(request, pk: int):
    declaration = get_object_or_404(Declaration, pk=pk)
    if declaration.withdrawal_requested_at and declaration.status == Declaration.Status.ANNOUNCED:
        call = lambda: services.declaration_withdrawal_announce(  # noqa: E731
            declaration=declaration, actor=request.user
        )
        success = _("Withdrawal announced.")
    else:
        form = AnnounceForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect("openlicense:detail", pk=pk)
        call = lambda: services.declaration_announce(  # noqa: E731
            declaration=declaration, actor=request.user, **form.cleaned_data
        )
        success = _("CNIPA's announcement recorded: the open licence is in force.")
    run_service(request, call, success=success)
    return redirect("openlicense:detail", pk=pk)


@login_required
@require_POST
def declaration_withdraw(request, pk: int):
    declaration = _managed(request, pk)
    form = WithdrawForm(
        request.POST, request.FILES, consents=declaration.consents.select_related("organization")
    )
    if not form.is_valid():
        form_errors(request, form)
    else:
        run_service(
            request,
            lambda: services.declaration_withdraw(
                declaration=declaration,
                reason=form.cleaned_data["reason"],
                documents=form.documents(),
                actor=request.user,
            ),
            success=_("Withdrawal recorded; it takes effect when announced."),
        )
    return redirect("openlicense:detail", pk=pk)


@staff_required()
@require_POST
def consent_record(request, pk: int):
    consent = get_object_or_404(PatenteeConsent, pk=pk)
    form = ConsentForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
    else:
        run_service(
            request,
            lambda: services.consent_record(
                consent=consent, document=form.cleaned_data["document"], actor=request.user
            ),
            success=_("Written consent recorded."),
        )
    return redirect("openlicense:detail", pk=consent.declaration_id)


@login_required
@require_POST
def licence_take(request, pk: int):
    declaration = get_object_or_404(Declaration, pk=pk)
    org = user_organization(request.user)
    if org is None:
        messages.error(request, _("Your account acts for no organization."))
        return redirect("openlicense:detail", pk=pk)
    licence = run_service(
        request,
        lambda: services.open_licence_conclude(
            declaration=declaration, licensee=org, created_by=request.user
        ),
        success=_("Your written notice is recorded; its delivery to the patentee is shown below."),
    )
    if licence is None:
        return redirect("openlicense:detail", pk=pk)
    return redirect("openlicense:licence", pk=licence.pk)


def _licence_for(request, pk) -> OpenLicence:
    licence = get_object_or_404(
        OpenLicence.objects.select_related("declaration__patent", "licensee", "deal"), pk=pk
    )
    user = request.user
    if not user.is_authenticated:
        raise Http404
    if not (
        is_line_staff(user)
        or user_organization(user) == licence.licensee
        or _is_patentee(user, licence.declaration)
    ):
        raise Http404
    return licence


@login_required
@require_safe
def licence_detail(request, pk: int):
    licence = _licence_for(request, pk)
    days_left = (
        (licence.filing_due_on - timezone.localdate()).days if licence.filing_due_on else None
    )
    return render(
        request,
        "openlicense/licence_detail.html",
        {
            "licence": licence,
            "days_left": days_left,
            "payment_form": PaymentForm(initial={"amount": licence.declaration.fee_lump_sum}),
            "can_confirm": _is_patentee(request.user, licence.declaration)
            or is_line_staff(request.user),
            "filing_form": FilingForm(),
        },
    )


@login_required
@require_POST
def licence_payment(request, pk: int):
    licence = _licence_for(request, pk)
    form = PaymentForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
    elif user_organization(request.user) != licence.licensee and not is_line_staff(request.user):
        raise PermissionDenied
    else:
        run_service(
            request,
            lambda: services.open_licence_record_payment(
                licence=licence, actor=request.user, **form.cleaned_data
            ),
            success=_(
                "Payment recorded with its proof; the licence takes effect when the patentee "
                "confirms it or centre staff accept the proof."
            ),
        )
    return redirect("openlicense:licence", pk=pk)


@login_required
@require_POST
def licence_confirm_payment(request, pk: int):
    """The patentee confirms the payment, or centre staff accept the proof."""
    licence = _licence_for(request, pk)
    patentee = _is_patentee(request.user, licence.declaration)
    if not patentee and not is_line_staff(request.user):
        raise PermissionDenied
    run_service(
        request,
        lambda: services.open_licence_confirm_payment(
            licence=licence, actor=request.user, as_staff=not patentee
        ),
        success=_("Payment confirmed: the licence is in force."),
    )
    return redirect("openlicense:licence", pk=pk)


@login_required
@require_POST
def licence_filing(request, pk: int):
    licence = _licence_for(request, pk)
    form = FilingForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        run_service(
            request,
            lambda: services.open_licence_record_filing(
                licence=licence, actor=request.user, **form.cleaned_data
            ),
            success=_("Filing recorded."),
        )
    return redirect("openlicense:licence", pk=pk)


@login_required
@require_safe
def licence_notice_pdf(request, pk: int):
    from .documents import open_licence_notice_pdf  # WeasyPrint loads only when needed

    licence = _licence_for(request, pk)
    response = HttpResponse(
        open_licence_notice_pdf(licence=licence), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="open-licence-notice-{pk}.pdf"'
    return response


@login_required
@require_safe
def licence_filing_package(request, pk: int):
    from .documents import open_licence_filing_package

    licence = _licence_for(request, pk)
    if licence.status == OpenLicence.Status.NOTIFIED:
        messages.error(request, _("Record the payment first: the filing needs it."))
        return redirect("openlicense:licence", pk=pk)
    response = HttpResponse(
        open_licence_filing_package(licence=licence), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="open-licence-filing-{pk}.zip"'
    return response


@staff_required()
@require_http_methods(["GET", "HEAD", "POST"])
def sync_page(request):
    form = SyncImportForm(request.POST or None, request.FILES or None)
    run = None
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        run = master_import(
            content=file.read(),
            fmt="json" if file.name.lower().endswith(".json") else "csv",
            source=form.cleaned_data["source"],
            file_name=file.name,
        )
    return render(
        request,
        "openlicense/sync.html",
        {"form": form, "run": run, "runs": SyncRun.objects.all()[:20]},
    )


@staff_required()
@require_safe
def sync_export(request):
    fmt = "json" if request.GET.get("format") == "json" else "csv"
    body = master_export(fmt=fmt)
    content_type = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="open-licences.{fmt}"'
    return response


@staff_required()
@require_http_methods(["GET", "HEAD", "POST"])
def declaration_push(request, pk: int):
    """Staff: the enterprises whose published needs this item answers; push to the chosen."""
    declaration = get_object_or_404(Declaration.objects.select_related("patent"), pk=pk)
    pushable = (
        declaration.status == Declaration.Status.ANNOUNCED
        and not declaration.withdrawal_requested_at
    )
    candidates = selectors.open_licence_push_candidates(declaration=declaration) if pushable else []
    form = PushForm(request.POST or None, candidates=candidates)
    if request.method == "POST":
        if not form.is_valid():
            form_errors(request, form)
        else:
            data = form.cleaned_data
            outcome = run_service(
                request,
                lambda: open_licence_push(
                    declaration=declaration,
                    need_ids=data["need_ids"],
                    channel=data["channel"],
                    programme_line=data["programme_line"],
                    created_by=request.user,
                    candidates=candidates,
                ),
                success=_("Push recorded."),
            )
            if outcome is not None:
                audit_record(
                    request=request,
                    action="openlicense.push",
                    target=declaration,
                    details={
                        "queued": [p.pk for p in outcome.queued],
                        "skipped": outcome.skipped,
                        "not_sent": [name for name, _reason in outcome.not_sent],
                    },
                )
                messages.info(
                    request,
                    _("Queued for %(n)d enterprises.") % {"n": len(outcome.queued)},
                )
                for name, reason in outcome.not_sent:
                    messages.warning(
                        request,
                        _("Not sent to %(name)s: %(reason)s") % {"name": name, "reason": reason},
                    )
                for name in outcome.skipped:
                    messages.warning(
                        request, _("%(name)s already received this item.") % {"name": name}
                    )
            return redirect("openlicense:push", pk=pk)
    return render(
        request,
        "openlicense/push.html",
        {
            "declaration": declaration,
            "pushable": pushable,
            "candidates": candidates,
            "form": form,
            "pushed_count": sum(c.already_pushed for c in candidates),
        },
    )


@staff_required()
@require_http_methods(["GET", "HEAD", "POST"])
def fee_ranges(request):
    """Staff edit the reasonable fee range of each patent type."""
    from django.forms import modelformset_factory

    FormSet = modelformset_factory(FeeRange, form=FeeRangeForm, extra=0)
    formset = FormSet(request.POST or None, queryset=FeeRange.objects.order_by("patent_type"))
    if request.method == "POST":
        if formset.is_valid():
            changed = formset.save()
            audit_record(
                request=request,
                action="openlicense.fee_ranges",
                details={"changed": [r.patent_type for r in changed]},
            )
            messages.success(request, _("Fee ranges saved."))
            return redirect("openlicense:fee_ranges")
        messages.error(request, _("Correct the marked fields."))
    return render(request, "openlicense/fee_ranges.html", {"formset": formset})
