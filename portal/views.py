from django.shortcuts import render
from django.views.decorators.http import require_safe

from patents.selectors import patent_collection_summary

from .permissions import public_view


@public_view
@require_safe
def home(request):
    return render(request, "portal/home.html", {"summary": patent_collection_summary()})
