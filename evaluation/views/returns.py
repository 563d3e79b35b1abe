"""Organisation returns: training leads fill them in; commissioners see the summary."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts import access
from accounts.access import Permission
from evaluation import selectors, services
from evaluation.forms.returns import PeriodForm, ReopenForm, ReturnForm
from evaluation.models import OrganisationReturn, ReturnPeriod
from evaluation.presenters import returns as presenters
from evaluation.services import ReturnError
from evaluation.views._access import needs


@needs(Permission.MANAGE_STAFF)
def returns_mine(request: HttpRequest) -> HttpResponse:
    rows = selectors.returns_for_lead(request.user)
    return render(
        request,
        "evaluation/returns/mine.html",
        {"rows": [(row, presenters.return_status(row.organisation_return)) for row in rows]},
    )


@needs(Permission.MANAGE_STAFF)
def return_edit(request: HttpRequest, organisation_id: int, period_id: int) -> HttpResponse:
    organisation = selectors.organisation_for_return(request.user, organisation_id)
    period = get_object_or_404(ReturnPeriod, pk=period_id)
    existing = selectors.return_for(organisation=organisation, period=period)
    if existing is not None and existing.is_submitted:
        return redirect("evaluation:return_detail", pk=existing.pk)
    submitting = "submit" in request.POST
    initial = {name: getattr(existing, name) for name in services.ANSWER_FIELDS} if existing else {}
    form = ReturnForm(request.POST or None, initial=initial, submitting=submitting)
    if request.method == "POST" and form.is_valid():
        save = services.return_submit if submitting else services.return_save_draft
        try:
            saved = save(
                actor=request.user,
                organisation=organisation,
                period=period,
                answers=form.answers(),
                request=request,
            )
        except ReturnError as exc:
            form.add_error(None, str(exc))
        else:
            if saved.is_submitted:
                messages.success(request, f"Your return for {period} is submitted. Thank you.")
                return redirect("evaluation:return_detail", pk=saved.pk)
            messages.success(request, "Your answers are saved. You can come back and finish later.")
            return redirect("evaluation:returns")
    return render(
        request,
        "evaluation/returns/form.html",
        {"form": form, "organisation": organisation, "period": period, "existing": existing},
    )


@needs(Permission.MANAGE_STAFF, Permission.VIEW_DASHBOARDS)
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation_return, permission = selectors.return_get_for_viewer(request.user, pk)
    as_commissioner = permission == Permission.VIEW_DASHBOARDS
    return render(
        request,
        "evaluation/returns/detail.html",
        {
            "organisation_return": organisation_return,
            "figures": presenters.figures(organisation_return, disclosed=as_commissioner),
            "status": presenters.return_status(organisation_return),
            "as_commissioner": as_commissioner,
            "can_edit": not organisation_return.is_submitted
            and access.can(request.user, Permission.MANAGE_STAFF, organisation_return.organisation),
        },
    )


@needs(Permission.VIEW_DASHBOARDS)
def return_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    organisation_return = access.get_in_scope(
        OrganisationReturn.objects.select_related("organisation", "period"),
        request.user,
        Permission.VIEW_DASHBOARDS,
        pk=pk,
    )
    if not organisation_return.is_submitted:
        return redirect("evaluation:return_detail", pk=organisation_return.pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_reopen(
                actor=request.user,
                organisation_return=organisation_return,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ReturnError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "The return is reopened. Its training lead has been told why."
            )
            return redirect("evaluation:return_detail", pk=organisation_return.pk)
    return render(
        request,
        "evaluation/returns/reopen.html",
        {"organisation_return": organisation_return, "form": form},
    )


@needs(Permission.VIEW_DASHBOARDS)
def returns_summary(request: HttpRequest) -> HttpResponse:
    current = selectors.return_period_current()
    form = PeriodForm(request.GET if "period" in request.GET else None, initial={"period": current})
    period = form.cleaned_data["period"] if form.is_bound and form.is_valid() else current
    summary = (
        presenters.summary(selectors.returns_summary(request.user, period=period))
        if period is not None
        else None
    )
    return render(
        request,
        "evaluation/returns/summary.html",
        {"form": form, "period": period, "summary": summary},
    )
