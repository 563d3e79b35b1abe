"""Training leads record their organisation's headcount by staff group."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts import access
from accounts.access import Permission
from accounts.models import Organisation
from evaluation import selectors, services
from evaluation.forms.workforce import AsOfForm, headcount_formset
from evaluation.views._access import needs


@needs(Permission.MANAGE_STAFF)
def workforce_list(request: HttpRequest) -> HttpResponse:
    summaries = selectors.workforce_summaries(request.user)
    if len(summaries) == 1:
        return redirect("evaluation:workforce_edit", organisation_id=summaries[0].organisation.pk)
    return render(request, "evaluation/workforce/list.html", {"summaries": summaries})


@needs(Permission.MANAGE_STAFF)
def workforce_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access.get_in_scope(
        Organisation.objects.select_related("area"),
        request.user,
        Permission.MANAGE_STAFF,
        via="",
        pk=organisation_id,
    )
    latest_date, current = selectors.headcount_latest(organisation=organisation)
    data = request.POST if request.method == "POST" else None
    date_form = AsOfForm(data, initial={"as_of": timezone.localdate()})
    formset = headcount_formset(data, current=current)
    if data is not None and date_form.is_valid() and formset.is_valid():
        services.headcount_record(
            actor=request.user,
            organisation=organisation,
            as_of=date_form.cleaned_data["as_of"],
            headcounts=formset.headcounts(),
            request=request,
        )
        messages.success(request, "Your workforce numbers are saved.")
        return redirect("evaluation:workforce_edit", organisation_id=organisation.pk)
    return render(
        request,
        "evaluation/workforce/edit.html",
        {
            "organisation": organisation,
            "date_form": date_form,
            "formset": formset,
            "latest_date": latest_date,
            "total": sum(current.values()),
            "many_organisations": selectors.workforce_organisations(request.user).count() > 1,
        },
    )
