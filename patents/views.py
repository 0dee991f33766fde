"""Pages of the patents app: the staff search page, saved searches, the public patent page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.permissions import staff_required

from .search import SearchQueryError, patent_search
from .search.documents import number_key
from .search.forms import PAGE_SIZE, PatentSearchForm, SavedSearchForm
from .search.presentation import facet_groups, hits_with_patents, page_links
from .search.saved import saved_search_create, saved_search_list
from .selectors import patent_get


@require_safe
def patent_detail(request, publication_number: str):
    patent = patent_get(publication_number=number_key(publication_number).upper())
    if patent is None:
        raise Http404
    from .search.presentation import patent_classification_titles

    return render(
        request,
        "patents/detail.html",
        {"patent": patent, "ipc_titles": patent_classification_titles(patent)},
    )


@staff_required()
@require_safe
def search(request):
    form = PatentSearchForm(request.GET or None)
    context = {"form": form, "save_form": SavedSearchForm(), "searched": False}
    if request.GET and form.is_valid():
        arguments = form.search_arguments()
        if arguments["text"]:
            try:
                results = patent_search(**arguments)
            except SearchQueryError as error:
                form.add_error("q", str(error))
            else:
                page = arguments["offset"] // PAGE_SIZE + 1
                context.update(
                    searched=True,
                    results=results,
                    hits=hits_with_patents(results.hits),
                    facets=facet_groups(results.facets, request.GET),
                    pages=page_links(request.GET, page, results.total, PAGE_SIZE),
                )
        else:
            form.add_error("q", _("Enter something to search for."))
    return render(request, "patents/search.html", context, status=400 if form.errors else 200)


@staff_required()
@require_safe
def saved_searches(request):
    return render(
        request,
        "patents/saved_searches.html",
        {"saved_searches": saved_search_list(owner=request.user)},
    )


@staff_required()
@require_POST
def saved_search_save(request):
    form = PatentSearchForm(request.POST)
    name_form = SavedSearchForm(request.POST)
    if form.is_valid() and name_form.is_valid():
        arguments = form.search_arguments()
        try:
            saved_search_create(
                owner=request.user,
                name=name_form.cleaned_data["name"],
                text=arguments["text"],
                filters={k: str(v) for k, v in arguments["filters"].items()},
            )
        except SearchQueryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Search saved; it is re-run every night."))
            return redirect("patents:saved_searches")
    else:
        messages.error(request, _("Give the search a name of at most 120 characters."))
    return redirect("patents:saved_searches")
