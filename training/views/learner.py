"""The learner's own training, certificates, and the public certificate check."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import Permission
from training import presenters, selectors, services
from training.documents import PDF_MIMETYPE, certificate_filename, certificate_pdf
from training.services import TrainingError
from training.views._access import needs


@needs(Permission.BOOK_TRAINING)
def my_training(request: HttpRequest) -> HttpResponse:
    bookings = list(selectors.learner_bookings(learner=request.user))
    completions = list(selectors.learner_completions(learner=request.user))
    upcoming = [b for b in bookings if b.status in ("booked", "waitlisted")]
    return render(
        request,
        "training/my_training.html",
        {
            "upcoming": upcoming,
            "certificates": presenters.certificate_rows(completions),
            "due": presenters.refreshers_due(completions),
            "today": timezone.localdate(),
        },
    )


@needs(Permission.BOOK_TRAINING)
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    completion = selectors.completion_of_learner(learner=request.user, pk=pk)
    try:
        services.certificate_for_download(completion=completion)
    except TrainingError as exc:
        messages.error(request, str(exc))
        return redirect("training:my_training")
    response = HttpResponse(certificate_pdf(completion), content_type=PDF_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(completion)}"'
    return response


@require_GET
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone with the code can check a certificate (name, course, dates only)."""
    completion = selectors.completion_by_code(code=code)
    if completion is None:
        return render(request, "training/verify_unknown.html", status=404)
    status, tag = presenters.certificate_status(completion)
    return render(
        request,
        "training/verify.html",
        {"completion": completion, "status": status, "tag": tag},
    )
