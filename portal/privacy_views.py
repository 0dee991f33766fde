"""The PIPL rights channel: a public request form and a person's own requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from .forms import DataRightsRequestForm
from .models import DataRightsRequest
from .permissions import public_view
from .pipl import data_rights_request_submit
from .ratelimit import rate_limit


@public_view
@require_safe
def privacy_notice(request):
    return render(request, "portal/privacy_notice.html")


@public_view
@require_http_methods(["GET", "POST"])
@rate_limit(group="portal.privacy_request", key="ip", rate="5/h")
def privacy_request_create(request):
    form = DataRightsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            rights_request = data_rights_request_submit(
                **fields, requester=request.user, request=request
            )
        except ValidationError as error:  # e.g. no holiday calendar for the due date's year
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request number %(number)s was received. We will answer by %(date)s.")
                % {"number": rights_request.pk, "date": rights_request.due_on.isoformat()},
            )
            return redirect("privacy_request_create")
    return render(request, "portal/privacy_request_form.html", {"form": form})


@login_required
@require_safe
def privacy_requests_mine(request):
    requests = DataRightsRequest.objects.filter(requester=request.user).order_by("-received_at")
    return render(request, "portal/privacy_requests_mine.html", {"rights_requests": requests})
