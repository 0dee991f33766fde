from django.shortcuts import render

from patents.selectors import patent_collection_summary

from .permissions import public_view


@public_view
def home(request):
    return render(request, "portal/home.html", {"summary": patent_collection_summary()})
