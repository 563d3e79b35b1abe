"""The public resources library and glossary (no sign-in, so no scoping)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from evaluation.models import GlossaryTerm, Resource


def resources_published(*, category: str = "") -> QuerySet[Resource]:
    resources = Resource.objects.filter(is_published=True)
    if category:
        resources = resources.filter(category=category)
    # Categories in the order they are declared (consensus statement first), not by name.
    category_order = Case(
        *(When(category=c, then=Value(i)) for i, c in enumerate(Resource.Category.values)),
        output_field=IntegerField(),
    )
    return resources.order_by(category_order, "title")


def resource_get(*, pk: int) -> Resource:
    """A published resource, or 404."""
    resource = Resource.objects.filter(pk=pk, is_published=True).first()
    if resource is None:
        raise Http404("Not found")
    return resource


def glossary_terms(*, query: str = "", letter: str = "") -> QuerySet[GlossaryTerm]:
    """Terms whose name or definition contains the query, or that start with the letter."""
    terms = GlossaryTerm.objects.prefetch_related("related_terms")
    query = query.strip()
    if query:
        terms = terms.filter(Q(term__icontains=query) | Q(definition__icontains=query))
    if letter:
        terms = terms.filter(term__istartswith=letter)
    return terms


def glossary_letters() -> set[str]:
    """The initial letters that have at least one term."""
    return {term[:1].upper() for term in GlossaryTerm.objects.values_list("term", flat=True)}
