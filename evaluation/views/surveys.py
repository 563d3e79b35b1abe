"""Learners answer their surveys; trainers see the results for their sessions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.access import Permission
from accounts.models import User
from evaluation.forms.surveys import SurveyForm
from evaluation.presenters import surveys as presenters
from evaluation.selectors import surveys as selectors
from evaluation.services import surveys as services
from evaluation.services.surveys import SurveyError
from evaluation.views._access import needs
from training.selectors import session_manageable_get


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required runs first; this narrows the type
        raise Http404("Not found")
    return user


def _refused(request: HttpRequest, invitation: object, reason: str, status: int) -> HttpResponse:
    return render(
        request,
        "evaluation/surveys/refused.html",
        {"invitation": invitation, "reason": reason},
        status=status,
    )


@login_required
def survey_take(request: HttpRequest, token: str) -> HttpResponse:
    learner = _user(request)
    invitation = selectors.invitation_for_learner(learner=learner, token=token)
    if invitation.is_answered:
        # A second submission (or a back-button resend) is refused, and says why.
        status = 409 if request.method == "POST" else 200
        return _refused(request, invitation, "You have already answered this survey.", status)
    if invitation.closes_at is not None and invitation.closes_at <= timezone.now():
        return _refused(request, invitation, "This survey has closed.", 200)
    questions = invitation.survey.questions.all()
    form = SurveyForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_response_submit(
                invitation=invitation, learner=learner, answers=form.answers(), request=request
            )
        except SurveyError as exc:
            return _refused(request, invitation, str(exc), 409)
        return redirect("evaluation:survey_done", token=invitation.token)
    return render(request, "evaluation/surveys/take.html", {"invitation": invitation, "form": form})


@login_required
def survey_done(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_for_learner(learner=_user(request), token=token)
    if not invitation.is_answered:
        return redirect("evaluation:survey_take", token=token)
    return render(request, "evaluation/surveys/done.html", {"invitation": invitation})


@login_required
def post_course_survey(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The link in training's post-course email: the learner's survey for that booking."""
    try:
        invitation = services.invitation_for_booking(learner=_user(request), booking_id=booking_id)
    except SurveyError as exc:
        raise Http404("Not found") from exc
    return redirect("evaluation:survey_take", token=invitation.token)


@login_required
def my_surveys(request: HttpRequest) -> HttpResponse:
    invitations = selectors.learner_open_invitations(learner=_user(request))
    return render(request, "evaluation/surveys/my_surveys.html", {"invitations": invitations})


@needs(Permission.RUN_SESSIONS)
def results_list(request: HttpRequest) -> HttpResponse:
    rows = presenters.session_rate_rows(selectors.sessions_with_results(request.user))
    return render(request, "evaluation/surveys/results_list.html", {"rows": rows})


@needs(Permission.RUN_SESSIONS)
def results_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_manageable_get(request.user, pk=session_id)
    results = selectors.session_results(session_id=session.pk)
    return render(
        request,
        "evaluation/surveys/results_session.html",
        {"session": session, "results": presenters.session_results(results)},
    )
