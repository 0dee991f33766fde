"""Pages of organization membership: the member's own page, and staff verification."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .audit import AuditAction, audit_record
from .membership import (
    invitation_create,
    membership_remove,
    membership_request_create,
    membership_request_decide,
)
from .models import MembershipRequest, OrganizationInvitation, UserProfile
from .permissions import staff_required
from .uploads import protected_file_response


class EvidenceForm(forms.Form):
    business_licence = forms.FileField(label=gettext_lazy("Business licence"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))]
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organization_membership(request):
    """A member's organization: its members and invitations (administrators),
    the user's own membership requests, and the licence upload for verification."""
    profile, _created = UserProfile.objects.select_related("organization").get_or_create(
        user=request.user
    )
    organization = profile.organization
    new_code = None
    evidence_form = EvidenceForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "invite" and organization is not None:
                _invitation, new_code = invitation_create(
                    organization=organization, created_by=request.user, request=request
                )
            elif action == "remove" and organization is not None:
                member = get_object_or_404(
                    get_user_model(),
                    pk=request.POST.get("member"),
                    profile__organization=organization,
                )
                membership_remove(member=member, removed_by=request.user, request=request)
                messages.success(request, _("The member was removed."))
                return redirect("organization_membership")
            elif action == "verify" and organization is not None:
                evidence_form = EvidenceForm(request.POST, request.FILES)
                if evidence_form.is_valid():
                    membership_request_create(
                        user=request.user,
                        organization=organization,
                        claimed_uscc=organization.uscc or "",
                        evidence=evidence_form.cleaned_data["business_licence"],
                        request=request,
                    )
                    messages.success(request, _("Sent. The centre checks the licence."))
                    return redirect("organization_membership")
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
    members = invitations = ()
    if organization is not None and profile.is_organization_admin:
        members = (
            UserProfile.objects.filter(organization=organization)
            .select_related("user")
            .order_by("user__username")
        )
        invitations = OrganizationInvitation.objects.filter(organization=organization)[:20]
    return render(
        request,
        "portal/organization_membership.html",
        {
            "profile": profile,
            "organization": organization,
            "members": members,
            "invitations": invitations,
            "new_code": new_code,
            "evidence_form": evidence_form,
            "claims": MembershipRequest.objects.filter(user=request.user).select_related(
                "organization"
            ),
        },
    )


@staff_required
@require_safe
def membership_requests(request):
    pending = MembershipRequest.objects.filter(
        status=MembershipRequest.Status.PENDING
    ).select_related("user", "organization")
    return render(
        request,
        "portal/membership_requests.html",
        {"pending": pending, "form": DecisionForm()},
    )


@staff_required
@require_POST
def membership_request_decision(request, pk: int):
    claim = get_object_or_404(MembershipRequest, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("membership_requests")
    try:
        membership_request_decide(
            claim=claim,
            decided_by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("membership_requests")


@staff_required
@require_safe
def membership_evidence(request, pk: int):
    claim = get_object_or_404(MembershipRequest, pk=pk)
    if not claim.evidence:
        raise PermissionDenied
    audit_record(action=AuditAction.FILE_DOWNLOADED, target=claim, request=request)
    return protected_file_response(claim.evidence, download_name=claim.evidence_name or "licence")
