"""Pages of alliances (centre staff): run an alliance, its pools, their
contributions and licences, and read the pool analytics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.audit import audit_record
from portal.permissions import staff_required
from portal.programme import ProgrammeLine

from . import services
from .forms import (
    AllianceForm,
    ContributionForm,
    LicenceCancelForm,
    LicenceForm,
    LicenceLinkForm,
    MemberForm,
    PoolForm,
)
from .models import Alliance, AllianceMember, PatentPool, PoolLicence, PoolPatent
from .selectors import alliances_visible, pool_analytics, pool_licence_deal_get

# Alliances and pools are industry IP operations' work
# (docs/architecture.md "Programme lines and staff pages").
OWN_LINE = ProgrammeLine.INDUSTRY_OPERATIONS


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _run(request, call, *, success: str, action: str, target=None):
    """Call one service; its refusal becomes a message, never a 500."""
    try:
        result = call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    audit_record(request=request, action=action, target=result if target is None else target)
    messages.success(request, success)
    return result


@staff_required(line=OWN_LINE)
@require_http_methods(["GET", "HEAD", "POST"])
def alliance_list(request):
    form = AllianceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            alliance = _run(
                request,
                lambda: services.alliance_create(**form.cleaned_data),
                success=_("Alliance created."),
                action="alliances.alliance_create",
            )
            if alliance is not None:
                return redirect("alliances:detail", alliance.pk)
        else:
            _form_errors(request, form)
    return render(
        request,
        "alliances/alliance_list.html",
        {"alliances": alliances_visible(user=request.user), "form": form},
    )


@staff_required(line=OWN_LINE)
@require_safe
def alliance_detail(request, alliance_id):
    alliance = get_object_or_404(Alliance.objects.select_related("chain"), pk=alliance_id)
    pools = [pool_analytics(pool=pool) for pool in alliance.pools.all()]
    members = alliance.memberships.select_related("organization").order_by("role", "id")
    return render(
        request,
        "alliances/alliance_detail.html",
        {
            "alliance": alliance,
            "members": members,
            "pools": pools,
            "edit_form": AllianceForm(instance=alliance),
            "member_form": MemberForm(),
            "pool_form": PoolForm(),
        },
    )


@staff_required(line=OWN_LINE)
@require_POST
def alliance_edit(request, alliance_id):
    alliance = get_object_or_404(Alliance, pk=alliance_id)
    form = AllianceForm(request.POST, instance=Alliance.objects.get(pk=alliance.pk))
    if form.is_valid():
        _run(
            request,
            lambda: services.alliance_update(alliance=alliance, **form.cleaned_data),
            success=_("Alliance saved."),
            action="alliances.alliance_update",
        )
    else:
        _form_errors(request, form)
    return redirect("alliances:detail", alliance.pk)


@staff_required(line=OWN_LINE)
@require_POST
def member_add(request, alliance_id):
    alliance = get_object_or_404(Alliance, pk=alliance_id)
    form = MemberForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.alliance_member_add(alliance=alliance, **form.cleaned_data),
            success=_("Member saved."),
            action="alliances.member_add",
        )
    else:
        _form_errors(request, form)
    return redirect("alliances:detail", alliance.pk)


@staff_required(line=OWN_LINE)
@require_POST
def member_remove(request, alliance_id, member_id):
    member = get_object_or_404(AllianceMember, pk=member_id, alliance_id=alliance_id)
    _run(
        request,
        lambda: services.alliance_member_remove(member=member),
        success=_("Member removed."),
        action="alliances.member_remove",
        target=member.alliance,
    )
    return redirect("alliances:detail", alliance_id)


@staff_required(line=OWN_LINE)
@require_POST
def pool_create(request, alliance_id):
    alliance = get_object_or_404(Alliance, pk=alliance_id)
    form = PoolForm(request.POST)
    if form.is_valid():
        pool = _run(
            request,
            lambda: services.pool_create(alliance=alliance, **form.cleaned_data),
            success=_("Pool created."),
            action="alliances.pool_create",
        )
        if pool is not None:
            return redirect("alliances:pool", pool.pk)
    else:
        _form_errors(request, form)
    return redirect("alliances:detail", alliance.pk)


@staff_required(line=OWN_LINE)
@require_safe
def pool_detail(request, pool_id):
    pool = get_object_or_404(PatentPool.objects.select_related("alliance__chain"), pk=pool_id)
    return render(
        request,
        "alliances/pool_detail.html",
        {
            "pool": pool,
            "analytics": pool_analytics(pool=pool),
            "contributions": pool.contributions.select_related("patent", "contributor"),
            "licences": pool.licences.select_related("licensee", "deal"),
            "contribution_form": ContributionForm(pool=pool),
            "licence_form": LicenceForm(),
            "cancel_form": LicenceCancelForm(),
            "link_form": LicenceLinkForm(),
        },
    )


@staff_required(line=OWN_LINE)
@require_POST
def contribution_add(request, pool_id):
    pool = get_object_or_404(PatentPool.objects.select_related("alliance"), pk=pool_id)
    form = ContributionForm(request.POST, pool=pool)
    if form.is_valid():
        data = form.cleaned_data
        _run(
            request,
            lambda: services.pool_patent_contribute(
                pool=pool,
                patent=data["publication_number"],
                contributor=data["contributor"],
                contributed_on=data["contributed_on"],
            ),
            success=_("Patent added to the pool."),
            action="alliances.pool_patent_contribute",
        )
    else:
        _form_errors(request, form)
    return redirect("alliances:pool", pool.pk)


@staff_required(line=OWN_LINE)
@require_POST
def contribution_withdraw(request, pool_id, contribution_id):
    contribution = get_object_or_404(PoolPatent, pk=contribution_id, pool_id=pool_id)
    _run(
        request,
        lambda: services.pool_patent_withdraw(contribution=contribution),
        success=_("Patent withdrawn from the pool."),
        action="alliances.pool_patent_withdraw",
        target=contribution.pool,
    )
    return redirect("alliances:pool", pool_id)


@staff_required(line=OWN_LINE)
@require_POST
def licence_grant(request, pool_id):
    pool = get_object_or_404(PatentPool.objects.select_related("alliance"), pk=pool_id)
    form = LicenceForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.pool_licence_grant(
                pool=pool, created_by=request.user, **form.cleaned_data
            ),
            success=_("Licence granted and recorded as a deal."),
            action="alliances.pool_licence_grant",
        )
    else:
        _form_errors(request, form)
    return redirect("alliances:pool", pool.pk)


@staff_required(line=OWN_LINE)
@require_POST
def licence_cancel(request, pool_id, licence_id):
    licence = get_object_or_404(PoolLicence, pk=licence_id, pool_id=pool_id)
    form = LicenceCancelForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.pool_licence_cancel(
                licence=licence, reason=form.cleaned_data["reason"], actor=request.user
            ),
            success=_("Licence cancelled; its deal no longer counts."),
            action="alliances.pool_licence_cancel",
        )
    else:
        _form_errors(request, form)
    return redirect("alliances:pool", pool_id)


@staff_required(line=OWN_LINE)
@require_POST
def licence_link(request, pool_id, licence_id):
    licence = get_object_or_404(PoolLicence, pk=licence_id, pool_id=pool_id)
    form = LicenceLinkForm(request.POST)
    if form.is_valid():
        deal = pool_licence_deal_get(deal_id=form.cleaned_data["deal_id"])
        if deal is None:
            messages.error(request, _("No pool-licence deal has that number."))
        else:
            _run(
                request,
                lambda: services.pool_licence_link_deal(licence=licence, deal=deal),
                success=_("Deal linked to the licence."),
                action="alliances.pool_licence_link_deal",
            )
    else:
        _form_errors(request, form)
    return redirect("alliances:pool", pool_id)
