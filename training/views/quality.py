"""Quality-marker self-assessments: training leads write them, commissioners read them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts import access
from accounts.access import Permission
from training import selectors, services
from training.forms import QualityAssessmentForm
from training.models import QualityAssessment
from training.services import ScoreInput, TrainingError
from training.views._access import needs, user_of


def _may_read(request: HttpRequest) -> None:
    user = request.user
    if not (
        access.can(user, Permission.MANAGE_TRAINING) or access.can(user, Permission.VIEW_DASHBOARDS)
    ):
        raise PermissionDenied("Your role does not include this.")


@login_required
def quality_list(request: HttpRequest) -> HttpResponse:
    _may_read(request)
    return render(
        request,
        "training/quality_list.html",
        {
            "assessments": selectors.quality_assessments_visible(request.user)[:200],
            "can_assess": access.can(request.user, Permission.MANAGE_TRAINING),
        },
    )


@login_required
def quality_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_read(request)
    assessment = selectors.quality_assessment_get(request.user, pk=pk)
    can_edit = assessment.status == QualityAssessment.Status.DRAFT and access.can(
        request.user, Permission.MANAGE_TRAINING, assessment.organisation
    )
    scores = list(assessment.scores.all())
    return render(
        request,
        "training/quality_detail.html",
        {
            "assessment": assessment,
            "scores": scores,
            "total": sum(s.score for s in scores),
            "possible": 3 * len(scores),
            "can_edit": can_edit,
        },
    )


@login_required
def quality_attachment(request: HttpRequest, pk: int) -> FileResponse:
    _may_read(request)
    score = selectors.quality_score_get(request.user, pk=pk)
    return FileResponse(score.attachment.open("rb"), as_attachment=True)


def _save(request: HttpRequest, assessment: QualityAssessment | None) -> HttpResponse:
    organisations = access.organisations_in_scope(request.user, Permission.MANAGE_TRAINING)
    existing = {s.criterion_id: s for s in assessment.scores.all()} if assessment else {}
    initial = (
        {"organisation": assessment.organisation_id, "course": assessment.course_id}
        if assessment
        else {}
    )
    form = QualityAssessmentForm(
        request.POST or None,
        request.FILES or None,
        criteria=list(selectors.quality_criteria()),
        organisations=organisations,
        existing=existing,
        initial=initial,
    )
    if assessment is not None:
        form.fields["organisation"].disabled = True
        form.fields["course"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.quality_assessment_save(
                actor=user_of(request),
                organisation=form.cleaned_data["organisation"],
                course=form.cleaned_data["course"],
                scores=[
                    ScoreInput(c, score, evidence, upload)
                    for c, score, evidence, upload in form.scores()
                ],
                submit="submit" in request.POST,
                assessment=assessment,
                request=request,
            )
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            submitted = saved.status == QualityAssessment.Status.SUBMITTED
            messages.success(
                request,
                "Your self-assessment is submitted." if submitted else "Your draft is saved.",
            )
            return redirect("training:quality_detail", pk=saved.pk)
    return render(request, "training/quality_form.html", {"form": form, "assessment": assessment})


@needs(Permission.MANAGE_TRAINING)
def quality_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@needs(Permission.MANAGE_TRAINING)
def quality_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.quality_assessment_get(request.user, pk=pk)
    if not access.can(request.user, Permission.MANAGE_TRAINING, assessment.organisation):
        raise Http404("Not found")
    if assessment.status != QualityAssessment.Status.DRAFT:
        return redirect("training:quality_detail", pk=assessment.pk)
    return _save(request, assessment)
