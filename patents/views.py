from django.http import Http404
from django.shortcuts import render

from .selectors import patent_get


def patent_detail(request, publication_number: str):
    patent = patent_get(publication_number=publication_number.upper())
    if patent is None:
        raise Http404
    return render(request, "patents/detail.html", {"patent": patent})
