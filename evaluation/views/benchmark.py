"""The benchmark of the boroughs against their standards, and where administrators set them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import access
from accounts.access import Permission
from core.db_routers import reads_from_replica
from evaluation.forms.standards import StandardForm
from evaluation.models import Standard
from evaluation.presenters.benchmark import benchmark_tables
from evaluation.presenters.dashboard import freshness
from evaluation.selectors.benchmark import BENCHMARK_MONTHS, benchmark
from evaluation.selectors.dashboard import Period, dashboard_scope, data_refreshed_at
from evaluation.services.standards import standard_delete, standard_set
from evaluation.views._access import needs, signed_in


@needs(Permission.VIEW_DASHBOARDS)
@reads_from_replica
def benchmark_page(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request.user)
    tables = benchmark_tables(benchmark(scope=scope))
    return render(
        request,
        "evaluation/benchmark/benchmark.html",
        {
            "tables": tables,
            "period": Period.last(BENCHMARK_MONTHS, complete=True),
            "freshness": freshness(data_refreshed_at()),
            "perms_administer": access.can(request.user, Permission.ADMINISTER),
        },
    )


@needs(Permission.ADMINISTER)
def standards(request: HttpRequest) -> HttpResponse:
    form = StandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard_set(actor=signed_in(request), request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("amber_threshold", error)
        else:
            messages.success(request, "The standard is saved.")
            return redirect("evaluation:standards")
    return render(
        request,
        "evaluation/benchmark/standards.html",
        {"form": form, "standards": Standard.objects.select_related("area")},
    )


@require_POST
@needs(Permission.ADMINISTER)
def standard_remove(request: HttpRequest, pk: int) -> HttpResponse:
    standard_delete(
        actor=signed_in(request), standard=get_object_or_404(Standard, pk=pk), request=request
    )
    messages.success(request, "The standard is removed.")
    return redirect("evaluation:standards")
