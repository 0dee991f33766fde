from django.shortcuts import render

from patents.selectors import patent_collection_summary


def home(request):
    return render(request, "portal/home.html", {"summary": patent_collection_summary()})
