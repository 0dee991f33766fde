"""Pages of operations_center: navigation (staff), events (public + staff check-in)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patents.models import LegalStatus, Organization, PatentType
from portal.permissions import public_view, staff_required
from portal.programme import ProgrammeLine
from portal.ratelimit import rate_limit
from portal.redirects import redirect_to_next

from .forms import ChainImportForm, NavigationFilterForm, RegistrationForm, ReportForm
from .models import ChainNode, Event, IndustryChain, NavigationReport, PatentNodeTag, TaggingRun
from .selectors import event_list_public
from .selectors import navigation as nav
from .selectors.landscape import landscape_data
from .services.chains import ChainFileError, chain_definition_parse, chain_export, chain_import
from .services.events import RegistrationClosed, registration_check_in, registration_create
from .services.tagging import tag_review
from .tasks import navigation_report_enqueue, tagging_run_enqueue

# Navigation, reports and event check-in are industry IP operations' work
# (docs/architecture.md "Programme lines and staff pages").
OWN_LINE = ProgrammeLine.INDUSTRY_OPERATIONS


# --- Chains -----------------------------------------------------------------------


@staff_required(line=OWN_LINE)
@require_http_methods(["GET", "HEAD", "POST"])
def chain_list(request):
    form = ChainImportForm()
    if request.method == "POST":
        form = ChainImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = chain_definition_parse(content=upload.read(), filename=upload.name)
                chain = chain_import(data=data)
            except ChainFileError as exc:
                for problem in exc.problems:
                    form.add_error("file", problem)
            else:
                messages.success(request, _("Chain “%(name)s” imported.") % {"name": chain.name})
                return redirect("operations_center:chain", slug=chain.slug)
    chains = IndustryChain.objects.order_by("name")
    return render(request, "operations_center/chain_list.html", {"chains": chains, "form": form})


@staff_required(line=OWN_LINE)
@require_safe
def chain_export_view(request, slug):
    chain = get_object_or_404(IndustryChain, slug=slug)
    body = json.dumps(chain_export(chain=chain), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chain.slug}.json"'
    return response


@staff_required(line=OWN_LINE)
@require_POST
def chain_retag(request, slug):
    chain = get_object_or_404(IndustryChain, slug=slug)
    run = tagging_run_enqueue(chain=chain, full=request.POST.get("full") == "1", user=request.user)
    messages.info(request, _("Tagging started."))
    return redirect(f"{reverse('operations_center:chain', args=[slug])}?run={run.pk}")


@staff_required(line=OWN_LINE)
@require_safe
def tagging_run_status(request, run_id):
    run = get_object_or_404(TaggingRun, pk=run_id)
    return JsonResponse(
        {
            "status": run.status,
            "progress": run.progress_percent,
            "tags_written": run.tags_written,
            "message": run.message,
        }
    )


def _filter_context(request, chain):
    form = NavigationFilterForm(request.GET or None)
    scope = nav.region_scope(code=form.region_code())
    years = form.years()
    node = None
    node_key = request.GET.get("node", "")
    if node_key:
        node = ChainNode.objects.filter(chain=chain, key=node_key).first()
        if node is None:
            messages.warning(
                request, _("There is no node “%(key)s” in this chain.") % {"key": node_key}
            )
    return form, scope, years, node


def _drill(chain, *, scope, years, node=None, **extra) -> str:
    params = {"region": scope.code, "year_from": years.start, "year_to": years.end}
    if node is not None:
        params["node"] = node.key
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return f"{reverse('operations_center:patents', args=[chain.slug])}?{urlencode(params)}"


@staff_required(line=OWN_LINE)
@require_safe
def chain_landscape(request, slug):
    chain = get_object_or_404(IndustryChain, slug=slug)
    form, scope, years, node = _filter_context(request, chain)
    data = landscape_data(chain=chain, scope=scope, years=years, node=node)
    overview, trend, parts = data["overview"], data["trend"], data["parts"]
    for row in overview:
        row.url = _drill(chain, scope=scope, years=years, node=row.node)
        row.valid_url = _drill(chain, scope=scope, years=years, node=row.node, valid=1)
        row.national_url = _drill(
            chain, scope=scope, years=years, node=row.node, national=1, region=""
        )
    drill = lambda **kw: _drill(chain, scope=scope, years=years, node=node, **kw)  # noqa: E731
    charts = {
        "trend": {
            "years": [p["year"] for p in trend],
            "region": [{"value": p["region"], "url": drill(year=p["year"])} for p in trend],
            "national": [
                {"value": p["national"], "url": drill(year=p["year"], national=1, region="")}
                for p in trend
            ],
            "region_name": scope.name,
            "national_name": pgettext("nationwide figure", "National"),
        },
        "city": [{"name": n, "value": c, "url": drill(city=code)} for code, n, c in parts["city"]],
        "kind": [
            {"name": str(n), "value": c, "url": drill(kind=k)}
            for k, n, c in parts["applicant_kind"]
        ],
        "type": [
            {"name": str(n), "value": c, "url": drill(type=k)} for k, n, c in parts["patent_type"]
        ],
        "status": [
            {"name": str(n), "value": c, "url": drill(status=k)}
            for k, n, c in parts["legal_status"]
        ],
        "ipc": [
            {"name": code, "title": t, "value": c, "url": drill(ipc=code)}
            for code, t, c in parts["ipc"]
        ],
        "graph": data["graph"],
    }
    applicants = [dict(a) for a in data["applicants"]]
    for a in applicants:
        a["url"] = drill(org=a["id"])
    technologies = [dict(t) for t in data["technologies"]]
    for t in technologies:
        t["url"] = drill(ipc=t["subclass"])
    context = {
        "chain": chain,
        "form": form,
        "scope": scope,
        "years": years,
        "node": node,
        "overview": overview,
        "parts": parts,
        "charts": charts,
        "applicants": applicants,
        "technologies": technologies,
        "inventors": data["inventors"],
        "total_url": drill(),
        "run": TaggingRun.objects.filter(chain=chain).first(),
        "report_form": ReportForm(
            initial={"region": scope.code, "year_from": years.start, "year_to": years.end}
        ),
        "reports": chain.reports.all()[:5],
        "strong_rta": nav.STRONG_RTA,
        "weak_rta": nav.WEAK_RTA,
    }
    return render(request, "operations_center/landscape.html", context)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_required(line=OWN_LINE)
@require_safe
def chain_patents(request, slug):
    chain = get_object_or_404(IndustryChain, slug=slug)
    _form, scope, years, node = _filter_context(request, chain)
    get = request.GET
    national = get.get("national") == "1"
    flt = nav.PatentFilter(
        node=node,
        scope=None if national or not get.get("region") else scope,
        national=national,
        years=None if get.get("year") else years,
        year=_int(get.get("year")),
        city=get.get("city", "")[:4],
        patent_type=get.get("type", "") if get.get("type") in PatentType.values else "",
        legal_status=get.get("status", "") if get.get("status") in LegalStatus.values else "",
        applicant_kind=get.get("kind", "") if get.get("kind") in Organization.Kind.values else "",
        subclass=get.get("ipc", "")[:4].upper(),
        organization_id=_int(get.get("org")),
        valid_inventions=get.get("valid") == "1",
    )
    page = nav.tagged_patents_page(chain=chain, flt=flt, after=_int(get.get("after")))
    tags = nav.patent_tags(chain=chain, patent_ids=[p.pk for p in page.patents])
    rows = [(p, tags.get(p.pk, [])) for p in page.patents]
    query = get.copy()
    query.pop("after", None)
    query.pop("page", None)
    return render(
        request,
        "operations_center/patents.html",
        {
            "chain": chain,
            "node": node,
            "scope": scope,
            "flt": flt,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        },
    )


@staff_required(line=OWN_LINE)
@require_POST
def tag_review_view(request, slug, tag_id):
    tag = get_object_or_404(PatentNodeTag, pk=tag_id, chain__slug=slug)
    status = request.POST.get("status", "")
    if status not in (PatentNodeTag.Status.CONFIRMED, PatentNodeTag.Status.REJECTED):
        messages.error(request, _("Choose confirm or reject."))
    else:
        tag_review(tag=tag, status=status, user=request.user)
        messages.success(request, _("Tag updated; re-runs keep your decision."))
    return redirect_to_next(request, "operations_center:patents", slug=slug)


@staff_required(line=OWN_LINE)
@require_POST
def report_create(request, slug):
    chain = get_object_or_404(IndustryChain, slug=slug)
    form = ReportForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("operations_center:chain", slug=slug)
    report = navigation_report_enqueue(
        chain=chain,
        region_code=form.cleaned_data["region"],
        year_from=form.cleaned_data["year_from"],
        year_to=form.cleaned_data["year_to"],
        user=request.user,
    )
    return redirect("operations_center:report", report_id=report.pk)


@staff_required(line=OWN_LINE)
@require_safe
def report_detail(request, report_id):
    report = get_object_or_404(NavigationReport, pk=report_id)
    return render(request, "operations_center/report_detail.html", {"report": report})


@staff_required(line=OWN_LINE)
@require_safe
def report_download(request, report_id, fmt):
    """Reports are served through this view (staff only), not as public media."""
    report = get_object_or_404(
        NavigationReport, pk=report_id, status=NavigationReport.Status.SUCCEEDED
    )
    file = report.pdf if fmt == "pdf" else report.xlsx
    name = f"{report.chain.slug}-{report.region_code}-{report.year_from}-{report.year_to}.{fmt}"
    return FileResponse(file.open("rb"), as_attachment=True, filename=name)


# --- Events -----------------------------------------------------------------------


@public_view
@require_safe
def event_list(request):
    return render(
        request, "operations_center/event_list.html", {"events": event_list_public()[:100]}
    )


@public_view
@rate_limit(group="event-registration", rate="20/h")
@require_http_methods(["GET", "HEAD", "POST"])
def event_detail(request, event_id):
    event = get_object_or_404(Event.objects.exclude(status=Event.Status.CANCELLED), pk=event_id)
    form = RegistrationForm(event=event)
    if request.method == "POST":
        form = RegistrationForm(request.POST, event=event)
        if form.is_valid():
            try:
                registration_create(event=event, **form.cleaned_data)
            except RegistrationClosed as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("You are registered. See you at the event."))
                return redirect("operations_center:event", event_id=event.pk)
    return render(
        request,
        "operations_center/event_detail.html",
        {"event": event, "form": form, "patents": event.patent_links.select_related("patent")},
    )


@staff_required(line=OWN_LINE)
@require_http_methods(["GET", "HEAD", "POST"])
def event_checkin(request, event_id):
    event = get_object_or_404(Event, pk=event_id)
    if request.method == "POST":
        registration = get_object_or_404(
            event.registrations, pk=_int(request.POST.get("registration"))
        )
        registration_check_in(registration=registration)
        messages.success(request, _("%(name)s checked in.") % {"name": registration.contact_name})
        return redirect("operations_center:event_checkin", event_id=event.pk)
    registrations = event.registrations.order_by("checked_in_at", "organization_name")
    return render(
        request,
        "operations_center/event_checkin.html",
        {"event": event, "registrations": registrations},
    )
