"""Public pages: the MECC resources library and the public health glossary."""

from __future__ import annotations

from itertools import groupby

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evaluation import selectors
from evaluation.forms.resources import LETTERS, GlossarySearchForm, ResourceFilterForm
from evaluation.models import Resource
from evaluation.models.resources import RESOURCE_FILE_TYPES, resource_extension


@require_GET
def resources_list(request: HttpRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None)
    category = form.cleaned_data["category"] if form.is_bound and form.is_valid() else ""
    resources = selectors.resources_published(category=category)
    labels = dict(Resource.Category.choices)
    groups = [
        (labels[key], list(items)) for key, items in groupby(resources, key=lambda r: r.category)
    ]
    return render(request, "evaluation/resources/list.html", {"form": form, "groups": groups})


@require_GET
def resource_file(request: HttpRequest, pk: int) -> FileResponse:
    resource = selectors.resource_get(pk=pk)
    if not resource.file:
        raise Http404("Not found")
    extension = resource_extension(resource.file.name or "")
    content_type = RESOURCE_FILE_TYPES.get(extension, ("application/octet-stream", None))[0]
    return FileResponse(
        resource.file.open("rb"),
        as_attachment=True,
        filename=f"{resource.title}.{extension}",
        content_type=content_type,
    )


@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    form = GlossarySearchForm(request.GET or None)
    query = letter = ""
    if form.is_bound and form.is_valid():
        query, letter = form.cleaned_data["q"].strip(), form.cleaned_data["letter"]
    terms = list(selectors.glossary_terms(query=query, letter=letter))
    groups = [(key, list(items)) for key, items in groupby(terms, key=lambda t: t.letter)]
    return render(
        request,
        "evaluation/resources/glossary.html",
        {
            "form": form,
            "query": query,
            "letter": letter,
            "groups": groups,
            "count": len(terms),
            "letters": LETTERS,
            "letters_with_terms": selectors.glossary_letters(),
        },
    )
