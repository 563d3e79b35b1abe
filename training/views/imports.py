"""Import historic completions: upload, preview with a row-by-row error report, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts import access
from accounts.access import Permission
from training import services
from training.forms import CompletionImportForm
from training.models import CompletionImport
from training.services import TrainingError
from training.views._access import needs, user_of


@needs(Permission.MANAGE_TRAINING)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = CompletionImportForm(request.POST or None, request.FILES or None)
    user = user_of(request)
    if request.method == "POST" and form.is_valid():
        organisation = (
            user.organisation
            or access.organisations_in_scope(user, Permission.MANAGE_TRAINING).first()
        )
        if organisation is not None:
            filename, content = form.cleaned_data["file"]
            batch = services.completion_import_upload(
                actor=user, organisation=organisation, filename=filename, content=content
            )
            return redirect("training:import_preview", pk=batch.pk)
        form.add_error(None, "You need an organisation to import completions")
    return render(request, "training/import_upload.html", {"form": form})


@needs(Permission.MANAGE_TRAINING)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    batch = get_object_or_404(CompletionImport, pk=pk, uploaded_by=user)
    if request.method == "POST":
        try:
            count = services.completion_import_apply(batch=batch, actor=user, request=request)
        except TrainingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{count} completions are imported.")
        return redirect("training:import_preview", pk=batch.pk)
    problems, rows = (
        ([], [])
        if batch.status == batch.Status.APPLIED
        else (services.completion_import_check(batch=batch, actor=user))
    )
    errors = sum(len(row.errors) for row in rows)
    return render(
        request,
        "training/import_preview.html",
        {"batch": batch, "problems": problems, "rows": rows, "error_count": errors},
    )
