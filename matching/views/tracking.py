"""Links inside pushes: open pixel, tracked clicks, feedback, unsubscribe.

The token in the URL identifies the push; no login is needed (the recipient
reads the message in a mail client), and a wrong token is a plain 404.
"""

from __future__ import annotations

import base64

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from portal.permissions import public_view
from portal.redirects import is_safe_redirect

from ..forms import FeedbackForm, PreferenceForm
from ..models import Push
from ..services import (
    push_item_record_click,
    push_item_record_feedback,
    push_preference_get,
    push_preference_update,
    push_record_open,
)

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@public_view
@never_cache
@require_safe
def track_open(request, token: str):
    push_record_open(token=token)
    return HttpResponse(PIXEL, content_type="image/gif")


@public_view
@require_safe
def track_click(request, token: str, item_id: int):
    item = push_item_record_click(token=token, item_id=item_id)
    if item is None:
        raise Http404
    target = item.url
    if not is_safe_redirect(request, target):
        # Only our own pages: a tracked link must never become an open redirect.
        if item.patent_id:
            target = reverse("patents:detail", args=[item.patent.publication_number])
        else:
            target = reverse("matching:push_feedback", args=[token]) + f"#item-{item.pk}"
    return redirect(target)


@public_view
@require_http_methods(["GET", "HEAD", "POST"])
def push_feedback(request, token: str):
    push = get_object_or_404(Push.objects.select_related("organization", "need"), token=token)
    push_record_open(token=token)
    items = list(push.items.select_related("patent"))
    forms = []
    saved = False
    for item in items:
        prefix = f"item{item.pk}"
        bound = request.method == "POST" and request.POST.get("item") == str(item.pk)
        form = FeedbackForm(request.POST if bound else None, prefix=prefix)
        if bound and form.is_valid():
            push_item_record_feedback(
                item=item,
                feedback=form.cleaned_data["feedback"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
            saved = True
            form = FeedbackForm(prefix=prefix)
        forms.append((item, form))
    return render(
        request,
        "matching/feedback.html",
        {
            "push": push,
            "forms": forms,
            "saved": saved,
            "message": _("Thank you for your feedback.") if saved else "",
        },
    )


@public_view
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    push = get_object_or_404(Push.objects.select_related("organization"), token=token)
    preference = push_preference_get(organization=push.organization)
    form = PreferenceForm(
        request.POST or None,
        initial={
            "unsubscribe": preference.unsubscribed_at is not None,
            "personalised_opt_out": preference.personalised_opt_out,
        },
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        push_preference_update(
            preference=preference,
            unsubscribe=form.cleaned_data["unsubscribe"],
            personalised_opt_out=form.cleaned_data["personalised_opt_out"],
        )
        saved = True
    return render(
        request, "matching/unsubscribe.html", {"form": form, "saved": saved, "push": push}
    )
